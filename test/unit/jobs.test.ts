import { planJobs } from '../../nodes/BrightDataScraperStudio/jobs/trigger';

const inputsFor = (itemIndex: number, count = 1) =>
	Array.from({ length: count }, (_, n) => ({ itemIndex, input: { url: `https://x/${itemIndex}/${n}` } }));

describe('planning jobs', () => {
	test('all items of one collector go into one job', () => {
		const jobs = planJobs(
			[0, 1, 2].map((item) => ({ collector: 'c_a', query: { queue_next: 1 }, inputs: inputsFor(item), inputsPerJob: 1000, secrets: [] })),
		);
		expect(jobs).toHaveLength(1);
		expect(jobs[0].inputs.map(({ itemIndex }) => itemIndex)).toEqual([0, 1, 2]);
	});

	test('jobs split above the inputs-per-job limit, keeping order', () => {
		const jobs = planJobs([{ collector: 'c_a', query: {}, inputs: inputsFor(0, 2500), inputsPerJob: 1000, secrets: [] }]);
		expect(jobs.map(({ inputs }) => inputs.length)).toEqual([1000, 1000, 500]);
		expect(jobs[2].inputs[0].input.url).toBe('https://x/0/2000');
	});

	test('one item with 200,000 inputs is planned into jobs (no argument-count limit on the way)', () => {
		const jobs = planJobs([{ collector: 'c_a', query: {}, inputs: inputsFor(0, 200_000), inputsPerJob: 100_000, secrets: [] }]);
		expect(jobs.map(({ inputs }) => inputs.length)).toEqual([100_000, 100_000]);
	});

	test('different collectors or queries make different jobs', () => {
		const jobs = planJobs([
			{ collector: 'c_a', query: { queue_next: 1 }, inputs: inputsFor(0), inputsPerJob: 10, secrets: [] },
			{ collector: 'c_b', query: { queue_next: 1 }, inputs: inputsFor(1), inputsPerJob: 10, secrets: [] },
			{ collector: 'c_a', query: { queue_next: 0 }, inputs: inputsFor(2), inputsPerJob: 10, secrets: [] },
			{ collector: 'c_a', query: { queue_next: 1 }, inputs: inputsFor(3), inputsPerJob: 10, secrets: [] },
		]);
		expect(jobs.map(({ collector, inputs }) => [collector, inputs.map(({ itemIndex }) => itemIndex)])).toEqual([
			['c_a', [0, 3]],
			['c_b', [1]],
			['c_a', [2]],
		]);
	});
});
