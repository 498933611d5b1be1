/**
 * Load: rounds of 100 workflow executions at once, in this process, against the emulator with
 * faults on (503 bursts with Retry-After on every job of c_flaky09, 429 with and without
 * Retry-After and 503 on triggers, 503s, dropped connections and status objects on polls).
 * Every execution must complete with every input's row (or failed-input item), each job must be
 * billed exactly once, and memory must stay flat from round to round.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Fault } from '../../emulator/server';
import { useEmulator } from '../harness/emulator';
import { triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER, type RunResult } from '../harness/workflow';
import { garbageCollector, mark, markdownTable, settledHeapMb, unaccounted } from './helpers';

const EXECUTIONS = 100;
const ROUNDS = 3;
const INPUTS = 3;

const emulator = useEmulator();
const api = () => emulator.current();

/** Faults for one round. Dense enough to hit many executions, sparse enough that no request fails 5 times running. */
const roundFaults: Fault[] = [
	{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 429, headers: { 'Retry-After': '2' }, times: 15 },
	{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 429, times: 5 },
	{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 503, times: 10 },
	{ method: 'GET', path: '/dca/dataset', collector: 'c_products01', kind: 'status', status: 503, headers: { 'Retry-After': '1' }, times: 20 },
	{ method: 'GET', path: '/dca/dataset', collector: 'c_products01', kind: 'drop', times: 10 },
	{ method: 'GET', path: '/dca/dataset', collector: 'c_products01', kind: 'statusObject', times: 10 },
];

function inputsOf(round: number, execution: number): IDataObject[] {
	return Array.from({ length: INPUTS }, (_, n) => ({
		// Every tenth execution has an input the emulator fails, so the "Failed" output is used too.
		url: `https://shop.example/product/r${round}-e${execution}-${n}${execution % 10 === 0 && n === 1 ? '-fail' : ''}`,
	}));
}

/** Every input came back, as a row or a failed-input item, linked to its own item. */
function problemsOf(result: RunResult, inputs: IDataObject[]): string[] {
	if (result.status !== 'success') return [`status ${result.status}: ${result.error?.message}`];
	const [rows = [], failed = []] = result.outputOf(SCRAPER);
	const problems = unaccounted(result, inputs.length).map((item) => `item ${item} has no row`);
	for (const { json, pairedItem } of [...rows, ...failed]) {
		const item = (pairedItem as { item: number }).item;
		if (JSON.stringify(json.input) !== JSON.stringify(inputs[item])) problems.push(`row for item ${item} echoes ${JSON.stringify(json.input)}`);
	}
	if (rows.length + failed.length !== inputs.length) problems.push(`${rows.length} rows + ${failed.length} failed for ${inputs.length} inputs`);
	return problems;
}

interface Round {
	round: number;
	seconds: number;
	problems: string[];
	jobs: number;
	triggers: number;
	requests: number;
	faulted: number;
	heapMb: number;
	rssMb: number;
}

async function runRound(round: number, gc: () => void, executions = EXECUTIONS): Promise<Round> {
	const spent = mark(api());
	roundFaults.forEach((fault) => api().injectFault(fault));
	const started = Date.now();
	const results = await Promise.all(
		Array.from({ length: executions }, async (_, execution) => {
			const inputs = inputsOf(round, execution);
			const collector = execution % 2 === 0 ? 'c_flaky09' : 'c_products01';
			// A long wait timeout: the scaled clock (1 s = 1 ms) must not time out a busy event loop.
			const result = await runScraper(triggerAndWait(collector, { options: { timeout: 86400 } }), inputs, {
				baseUrl: api().url,
				token: api().token,
			});
			return problemsOf(result, inputs).map((problem) => `execution ${execution}: ${problem}`);
		}),
	);
	const seconds = (Date.now() - started) / 1000;
	api().clearFaults();
	const { requests, triggers, jobs } = spent();
	const perExecution = new Map<string, number>();
	for (const job of api().jobs.slice(-jobs)) {
		const key = String(job.inputs[0]?.url).replace(/-\d+(-fail)?$/, '');
		perExecution.set(key, (perExecution.get(key) ?? 0) + 1);
	}
	const billedTwice = [...perExecution].filter(([, count]) => count > 1).map(([key]) => `${key} billed twice`);
	return {
		round,
		seconds,
		problems: [...results.flat(), ...billedTwice],
		jobs,
		triggers,
		requests: requests.length,
		faulted: requests.filter(({ fault }) => fault).length,
		heapMb: settledHeapMb(gc),
		rssMb: process.memoryUsage().rss / 1024 / 1024,
	};
}

test(`${ROUNDS} rounds of ${EXECUTIONS} concurrent executions with faults: nothing lost, no job billed twice, memory flat`, async () => {
	const gc = garbageCollector();
	const warmup = await runRound(0, gc, 20); // loads and JIT-compiles everything once
	const rounds: Round[] = [];
	for (let round = 1; round <= ROUNDS; round++) rounds.push(await runRound(round, gc));

	console.log(
		`Load: ${EXECUTIONS} concurrent executions per round (warm-up: 20)\n\n` +
			markdownTable(
				['Round', 'Seconds', 'Requests', 'Faults hit', 'Triggers', 'Jobs billed', 'Problems', 'Heap after GC (MB)', 'RSS (MB)'],
				[warmup, ...rounds].map((r) => [
					r.round === 0 ? 'warm-up' : String(r.round),
					r.seconds.toFixed(2),
					String(r.requests),
					String(r.faulted),
					String(r.triggers),
					String(r.jobs),
					String(r.problems.length),
					r.heapMb.toFixed(1),
					r.rssMb.toFixed(0),
				]),
			),
	);

	expect(warmup.problems).toEqual([]);
	for (const r of rounds) {
		expect(r.problems).toEqual([]);
		expect(r.jobs).toBe(EXECUTIONS);
		expect(r.faulted).toBeGreaterThan(EXECUTIONS / 2);
	}
	// Loose on purpose: the emulator in this process keeps every request and job (a few hundred KB a round).
	const growth = rounds[rounds.length - 1].heapMb - rounds[0].heapMb;
	expect(growth).toBeLessThan(25);
});
