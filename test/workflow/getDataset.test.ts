import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { getDataset } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';

const nock = useNock();
beforeAll(() => (timing.msPerSecond = 1));

const dataset = (id: string) => nock(API).get('/dca/dataset').query({ id, format: 'json' });

describe('Get Dataset', () => {
	test('a ready snapshot gives one item per row, linked to its item', async () => {
		dataset('j_1').reply(200, [{ title: 'A' }, { title: 'B' }]);

		const { status, items } = await runScraper(getDataset('={{ $json.snapshot_id }}'), [{ snapshot_id: 'j_1' }], {
			baseUrl: API,
		});

		expect(status).toBe('success');
		expect(items).toEqual([
			{ json: { title: 'A' }, pairedItem: { item: 0 } },
			{ json: { title: 'B' }, pairedItem: { item: 0 } },
		]);
	});

	test('300,000 rows, half of them failed inputs: every row comes out (no argument-count limit on the way)', async () => {
		// `array.push(...rows)` passes every row as an argument, and V8 throws RangeError ("Maximum
		// call stack size exceeded") above about 120,000 of them.
		const count = 300_000;
		const body = `[${Array.from({ length: count }, (_, n) => (n % 2 ? `{"n":${n},"error":"dead_page"}` : `{"n":${n}}`)).join(',')}]`;
		dataset('j_big').reply(200, body);

		const parameters = { ...getDataset('j_big'), options: { failedRows: 'separate' } };
		const { status, outputOf } = await runScraper(parameters, [{}], { baseUrl: API });

		expect(status).toBe('success');
		const [rows, failed] = outputOf(SCRAPER);
		expect([rows.length, failed.length]).toEqual([count / 2, count / 2]);
		expect(rows.at(-1)?.json.n).toBe(count - 2);
		expect(failed.at(-1)?.json.n).toBe(count - 1);
	});

	test('an NDJSON body is read as rows', async () => {
		dataset('j_nd').reply(200, '{"title":"A"}\n{"title":"B"}\n', { 'content-type': 'application/x-ndjson' });

		const { items } = await runScraper(getDataset('j_nd'), [{}], { baseUrl: API });

		expect(items.map(({ json }) => json.title)).toEqual(['A', 'B']);
	});

	test('a snapshot still building gives one status item', async () => {
		dataset('j_2').reply(202, { status: 'collecting', message: 'Dataset is not ready yet, try again in 30s' });

		const { items } = await runScraper(getDataset('j_2'), [{}], { baseUrl: API });

		expect(items).toEqual([
			{
				json: { snapshot_id: 'j_2', ready: false, status: 'collecting', message: 'Dataset is not ready yet, try again in 30s' },
				pairedItem: { item: 0 },
			},
		]);
	});

	// The one empty-snapshot rule (checkSnapshot): an empty dataset is ready only when the job log says finished.
	test('an empty snapshot whose job finished gives no rows and a hint', async () => {
		dataset('j_empty').reply(200, []);
		nock(API).get('/dca/log/j_empty').reply(200, { id: 'j_empty', status: 'done' });
		dataset('j_empty').reply(200, []);

		const { items, run } = await runScraper(getDataset('j_empty'), [{}], { baseUrl: API });

		expect(items).toEqual([]);
		const hints = run.data.resultData.runData.Scraper[0].hints ?? [];
		expect(hints.map(({ message }) => message).join()).toMatch(/j_empty has no rows: the job finished without any/);
	});

	test('an empty snapshot whose job still runs gives its status item, not an empty result', async () => {
		dataset('j_early').reply(200, []);
		nock(API).get('/dca/log/j_early').reply(200, { id: 'j_early', status: 'running' });

		const { items } = await runScraper(getDataset('j_early'), [{}], { baseUrl: API });

		expect(items).toEqual([{ json: { snapshot_id: 'j_early', ready: false, status: 'running', message: null }, pairedItem: { item: 0 } }]);
	});

	test('an empty snapshot the job log does not know (expired) is an error naming it', async () => {
		dataset('j_old').reply(200, []);
		nock(API).get('/dca/log/j_old').reply(404, 'Not found');

		const { status, error } = await runScraper(getDataset('j_old'), [{}], { baseUrl: API });

		expect(status).toBe('error');
		expect(error?.message).toContain('j_old');
		expect(error?.message).toMatch(/expired/);
	});

	test('404 says the snapshot does not exist or expired, naming it', async () => {
		dataset('j_gone').reply(404, 'Not found');

		const { status, error } = await runScraper(getDataset('j_gone'), [{}], { baseUrl: API });

		expect(status).toBe('error');
		expect(error?.message).toBe('Snapshot "j_gone" does not exist or has expired (404)');
		expect(error?.description).toContain('16 days');
	});

	test('one snapshot per item', async () => {
		dataset('j_a').reply(200, [{ n: 1 }]);
		dataset('j_b').reply(200, [{ n: 2 }, { n: 3 }]);

		const { items } = await runScraper(getDataset('={{ $json.id }}'), [{ id: 'j_a' }, { id: 'j_b' }], { baseUrl: API });

		expect(items.map(({ json, pairedItem }) => [json.n, pairedItem])).toEqual([
			[1, { item: 0 }],
			[2, { item: 1 }],
			[3, { item: 1 }],
		]);
	});
});
