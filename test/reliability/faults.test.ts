/**
 * Fault matrix: the node against the emulator with one fault at a time. For each fault the
 * execution must end with every input accounted for (a row or a failed-input item), or with one
 * clear error naming the snapshot (or, when no snapshot ID ever reached the node, telling the user
 * to look for the job) — and the emulator must never have created a second billed job.
 * The table of outcomes is printed after the run (and copied into docs/reliability.md).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INode } from 'n8n-workflow';

import type { Fault } from '../../emulator/server';
import { timing } from '../../nodes/shared/timing';
import { useEmulator } from '../harness/emulator';
import { collectorId, triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER, type RunResult } from '../harness/workflow';
import { mark, markdownTable, unaccounted, type Spent } from './helpers';

const emulator = useEmulator();
const api = () => emulator.current();
const run = (parameters: INode['parameters'], items: object[], extra: { continueOnFail?: boolean; cancelAfterMs?: number; cancelWhen?: () => boolean; baseUrl?: string } = {}) =>
	runScraper(parameters, items as never, { baseUrl: api().url, token: api().token, ...extra });

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });
/** Two good inputs and one the emulator fails ("fail" → crawl_error row), so both outputs are used. */
const ITEMS = [product('speaker'), product('fail-me'), product('lamp')];

interface MatrixRow {
	fault: string;
	outcome: string;
	spent: string;
	verdict: 'pass' | 'FAIL';
}
const matrix: MatrixRow[] = [];

function outcomeOf(result: RunResult): string {
	if (result.status === 'canceled') return 'canceled (Stop)';
	if (result.error) {
		// The message, and the first sentence of the description: what the user is told to do.
		const advice = /^[^\n]*?\.(?=\s|$)/.exec(result.error.description ?? '')?.[0];
		return `error: ${result.error.message}${advice ? ` — "${advice}"` : ''}`;
	}
	const [rows = [], failed = []] = result.outputOf(SCRAPER);
	const errors = rows.filter(({ json }) => typeof json.error === 'string' && !json.input).length;
	return `${plural(rows.length - errors, 'row')}, ${plural(failed.length, 'failed-input item')}${errors ? `, ${plural(errors, 'error item')}` : ''}`;
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const spentText = ({ requests, triggers, jobs, responses }: Spent) =>
	`${plural(requests.length, 'request')} (${plural(triggers, 'trigger')}, ${plural(jobs, 'job')} billed${responses ? `, ${responses} real-time` : ''})`;

/**
 * Runs one row of the matrix: `body` runs the workflow and makes its assertions; the row is
 * recorded whether they hold or not.
 */
async function matrixCase<T = undefined>(
	fault: string,
	body: (spent: () => Spent, prepared: T) => Promise<RunResult | { outcome: string }>,
	/** Runs before counting starts (e.g. a job to rerun), so its requests are not charged to the fault. */
	prepare?: () => Promise<T>,
): Promise<void> {
	const prepared = (await prepare?.()) as T;
	const spent = mark(api());
	let outcome = 'did not finish';
	let verdict: MatrixRow['verdict'] = 'FAIL';
	try {
		const result = await body(spent, prepared);
		outcome = 'outcome' in result ? result.outcome : outcomeOf(result);
		verdict = 'pass';
	} catch (error) {
		if (outcome === 'did not finish') outcome = (error as { outcome?: string }).outcome ?? outcome;
		throw error;
	} finally {
		matrix.push({ fault, outcome, spent: spentText(spent()), verdict });
	}
}

/** Wraps assertions so a failing row still reports what the run did. */
async function check(result: RunResult, assertions: () => void): Promise<RunResult> {
	try {
		assertions();
	} catch (error) {
		Object.assign(error as object, { outcome: outcomeOf(result) });
		throw error;
	}
	return result;
}

const snapshotOf = (spent: Spent): string => {
	const created = api().jobs.slice(-Math.max(spent.jobs, 1));
	return created[created.length - 1]?.id ?? '(none)';
};

/** Every input is a row or a failed-input item, the fail-me input on "Failed", one billed job. */
function expectAllRows(result: RunResult, spent: Spent): void {
	const [rows = [], failed = []] = result.outputOf(SCRAPER);
	expect(result.status).toBe('success');
	expect(rows.map(({ json }) => json.input)).toEqual([ITEMS[0], ITEMS[2]]);
	expect(failed.map(({ json }) => json.input)).toEqual([ITEMS[1]]);
	expect(unaccounted(result, ITEMS.length)).toEqual([]);
	expect(spent.jobs).toBe(1);
}

/** One clear error that names the snapshot the emulator created; no second job. */
function expectErrorNamingSnapshot(result: RunResult, spent: Spent): void {
	expect(result.status).toBe('error');
	expect(spent.jobs).toBe(1);
	expect(result.error?.message).toContain(snapshotOf(spent));
}

/** No job at all, and an error that says so clearly; the trigger was sent once. */
function expectErrorNoJob(result: RunResult, spent: Spent, message: RegExp): void {
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(message);
	expect(spent.jobs).toBe(0);
}

/** A started job to work on; its snapshot ID. */
async function startJob(): Promise<string> {
	const job = await run({ operation: 'trigger', collector: collectorId('c_products01') }, [product('a')]);
	return String(job.items[0].json.snapshot_id);
}

const inject = (...faults: Fault[]) => faults.forEach((fault) => api().injectFault(fault));
const TRIGGER = { method: 'POST', path: '/dca/trigger' } as const;
const DATASET = { method: 'GET', path: '/dca/dataset' } as const;

afterAll(() => {
	const table = markdownTable(
		['Fault', 'Outcome', 'Requests spent', 'Verdict'],
		matrix.map(({ fault, outcome, spent, verdict }) => [fault, outcome, spent, verdict]),
	);
	console.log(`Fault matrix (${new Date().toISOString().slice(0, 10)}):\n\n${table}\n`);
	// npm run docs:reliability collects the table into docs/reliability.md.
	if (process.env.RELIABILITY_OUT) writeFileSync(join(process.env.RELIABILITY_OUT, 'faults.md'), `${table}\n`);
});

describe('5xx bursts', () => {
	test('503 ×3 on the trigger (job not accepted): retried, one job, all rows', () =>
		matrixCase('503 ×3 on POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'status', status: 503, times: 3 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectAllRows(result, spent());
				expect(spent().triggers).toBe(4);
			});
		}));

	test('500 ×3 on dataset polls: retried, all rows', () =>
		matrixCase('500 ×3 on GET /dca/dataset', async (spent) => {
			inject({ ...DATASET, kind: 'status', status: 500, times: 3 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('503 on every dataset poll (outlasts 5 attempts): one error naming the snapshot', () =>
		matrixCase('503 on every GET /dca/dataset', async (spent) => {
			inject({ ...DATASET, kind: 'status', status: 503, times: Infinity });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectErrorNamingSnapshot(result, spent());
				expect(spent().requests.filter(({ path }) => path === '/dca/dataset')).toHaveLength(5);
			});
		}));

	test.each([502, 504])('%i on the trigger (a gateway may have passed it on): not resent, says to look for the job', (status) =>
		matrixCase(`${status} on POST /dca/trigger`, async (spent) => {
			inject({ ...TRIGGER, kind: 'status', status });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expect(spent().triggers).toBe(1);
				expect(result.error?.message).toContain(`(${status})`);
				// README: for a 502/504 "the error tells you to look for the job instead".
				expect(result.error?.description).toMatch(/look for (a|the) (new )?job/i);
				expect(result.error?.description).not.toMatch(/try again/i);
			});
		}));
});

describe('429', () => {
	test('429 with Retry-After: 30 on the trigger: waits 30 (scaled) seconds, then one job', () =>
		matrixCase('429 + Retry-After: 30 ×2 on POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'status', status: 429, headers: { 'Retry-After': '30' }, times: 2 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectAllRows(result, spent());
				const times = spent().requests.filter(({ path }) => path === '/dca/trigger').map(({ time }) => Date.parse(time));
				expect(times).toHaveLength(3);
				// 30 emulated seconds = 30 ms at the test's time scale (1 s = 1 ms).
				expect(times[1] - times[0]).toBeGreaterThanOrEqual(29);
				expect(times[2] - times[1]).toBeGreaterThanOrEqual(29);
			});
		}));

	test('429 without Retry-After on the trigger: exponential backoff, one job', () =>
		matrixCase('429 (no Retry-After) ×2 on POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'status', status: 429, times: 2 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('429 with Retry-After on dataset polls: retried, all rows', () =>
		matrixCase('429 + Retry-After: 2 ×3 on GET /dca/dataset', async (spent) => {
			inject({ ...DATASET, kind: 'status', status: 429, headers: { 'Retry-After': '2' }, times: 3 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('429 on every trigger: gives up after 5 attempts, no job, a clear error', () =>
		matrixCase('429 on every POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'status', status: 429, times: Infinity });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectErrorNoJob(result, spent(), /rate limiting requests \(429\) for collector "c_products01"/);
				expect(spent().triggers).toBe(5);
				expect(result.error?.description).toContain('tried 5 times');
			});
		}));
});

describe('dropped connections', () => {
	test('refused (nothing sent): retried 5 times, then "could not reach"', () =>
		matrixCase('connection refused (port closed)', async (spent) => {
			// A port the emulator does not listen on: nothing is ever sent.
			const closed = `http://127.0.0.1:${api().port === 1 ? 2 : 1}`;
			const result = await run(triggerAndWait('c_products01'), ITEMS, { baseUrl: closed });
			return check(result, () => {
				expectErrorNoJob(result, spent(), /Could not reach Bright Data for collector "c_products01" \(ECONNREFUSED\)/);
				expect(result.error?.description).toContain('tried 5 times');
			});
		}));

	test('dropped before the server handled the trigger: not resent, no job, says to look for one', () =>
		matrixCase('connection dropped before POST /dca/trigger was handled', async (spent) => {
			inject({ ...TRIGGER, kind: 'drop' });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectErrorNoJob(result, spent(), /may have reached Bright Data/);
				expect(spent().triggers).toBe(1);
				expect(result.error?.description).toContain('Look for a new job');
			});
		}));

	test('dropped after the server created the job: not resent, exactly one job, says to look for it', () =>
		matrixCase('connection dropped after POST /dca/trigger created the job', async (spent) => {
			inject({ ...TRIGGER, kind: 'drop', after: true });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expect(result.status).toBe('error');
				expect(spent().triggers).toBe(1);
				expect(spent().jobs).toBe(1);
				// The answer with the snapshot ID was lost, so the node cannot name it: it says where to look.
				expect(result.error?.message).toMatch(/trigger request for collector "c_products01" failed after it may have reached/);
				expect(result.error?.description).toContain('Look for a new job of this collector');
			});
		}));

	test('dataset polls dropped twice (before and after handling): retried, all rows', () =>
		matrixCase('GET /dca/dataset dropped ×2 (before, after)', async (spent) => {
			inject({ ...DATASET, kind: 'drop' }, { ...DATASET, kind: 'drop', after: true });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));
});

describe('hung responses', () => {
	test('a hung dataset poll: Stop ends the execution at once, the job is cancelled when asked to', () =>
		matrixCase('GET /dca/dataset hangs; user presses Stop (Cancel the Job If the Execution Is Stopped)', async (spent) => {
			inject({ ...DATASET, kind: 'hang', times: Infinity });
			// c_stuck05 never finishes, so the job is still running when Stop is pressed. A Stop that did
			// not end the hung request would hold the run past jest's timeout: no measured upper bound needed.
			const hung = () => spent().requests.some(({ path }) => path === '/dca/dataset');
			const result = await run(triggerAndWait('c_stuck05', { options: { cancelOnStop: true } }), ITEMS, { cancelWhen: hung });
			return check(result, () => {
				expect(result.status).toBe('canceled');
				expect(spent().triggers).toBe(1);
				expect(spent().jobs).toBe(1);
				expect(spent().requests.filter(({ path }) => /\/dca\/jobs\/.+\/cancel$/.test(path))).toHaveLength(1);
				expect(api().job(snapshotOf(spent()))?.status).toMatch(/cancel/);
			});
		}));

	test('a hung trigger: Stop ends the execution at once, and the trigger is not resent', () =>
		matrixCase('POST /dca/trigger hangs; user presses Stop', async (spent) => {
			inject({ ...TRIGGER, kind: 'hang' });
			const result = await run(triggerAndWait('c_products01'), ITEMS, { cancelWhen: () => spent().triggers > 0 });
			return check(result, () => {
				expect(result.status).toBe('canceled');
				expect(spent().triggers).toBe(1);
				expect(spent().jobs).toBe(0);
			});
		}));

	describe('the per-request timeout (timing.requestTimeoutMs), shortened to 300 ms', () => {
		// The limit is in real ms (60 s by default, deliberately not scaled with the clock): shortened
		// here so a hung request ends in a fraction of a second.
		const withShortTimeout = async <T>(work: () => Promise<T>): Promise<T> => {
			const saved = timing.requestTimeoutMs;
			timing.requestTimeoutMs = 300;
			try {
				return await work();
			} finally {
				timing.requestTimeoutMs = saved;
			}
		};

		test('a hung trigger times out once and is not resent', () =>
			matrixCase('POST /dca/trigger hangs past the per-request timeout (300 ms)', async (spent) => {
				inject({ ...TRIGGER, kind: 'hang', times: Infinity });
				const result = await withShortTimeout(() => run(triggerAndWait('c_products01'), ITEMS));
				return check(result, () => {
					expect(spent().triggers).toBe(1);
					expect(result.error?.message).toMatch(/trigger request for collector "c_products01" failed after it may have reached Bright Data \((ECONNABORTED|ETIMEDOUT)\)/);
					expect(result.error?.description).toContain('Look for a new job');
				});
			}));

		test('hung dataset polls time out and are retried: all rows', () =>
			matrixCase('GET /dca/dataset hangs ×2 past the per-request timeout (300 ms)', async (spent) => {
				inject({ ...DATASET, kind: 'hang', times: 2 });
				const result = await withShortTimeout(() => run(triggerAndWait('c_products01'), ITEMS));
				return check(result, () => expectAllRows(result, spent()));
			}));
	});
});

describe('bodies that are not what they should be', () => {
	test('malformed JSON answering the trigger: not resent, says to look for the job', () =>
		matrixCase('200 with HTML instead of JSON on POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'malformed', body: '<html><body>Service temporarily unavailable</body></html>', contentType: 'text/html' });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expect(spent().triggers).toBe(1);
				expect(result.error?.message).toBe('Bright Data accepted the trigger for collector "c_products01" but sent no collection_id');
				expect(result.error?.description).toContain('Look for a new job');
			});
		}));

	test('malformed JSON on a dataset poll, once: all rows, or one error naming the snapshot', () =>
		matrixCase('200 with truncated JSON on GET /dca/dataset (once)', async (spent) => {
			inject({ ...DATASET, kind: 'malformed', body: '{"status": "buil' });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				if (result.status === 'success') expectAllRows(result, spent());
				else expectErrorNamingSnapshot(result, spent());
			});
		}));

	test('malformed JSON on every dataset poll: one error naming the snapshot', () =>
		matrixCase('200 with truncated JSON on every GET /dca/dataset', async (spent) => {
			inject({ ...DATASET, kind: 'malformed', body: '{"status": "buil', times: Infinity });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectErrorNamingSnapshot(result, spent()));
		}));

	test('NDJSON with a torn last line: one error naming the snapshot, never a silently short dataset', () =>
		matrixCase('dataset NDJSON with a torn last line', async (spent) => {
			inject({ ...DATASET, kind: 'tornNdjson' });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				// Either all rows (a retried download) or an error naming the snapshot; never rows missing.
				if (result.status === 'success') expectAllRows(result, spent());
				else expectErrorNamingSnapshot(result, spent());
			});
		}));

	test('200 with a status object while pending: keeps waiting, all rows', () =>
		matrixCase('200 {"status":"building"} ×3 on GET /dca/dataset', async (spent) => {
			inject({ ...DATASET, kind: 'statusObject', times: 3 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('202 with unknown status words and a non-JSON 202: keeps waiting, all rows', () =>
		matrixCase('202 with unknown status words / non-JSON body on GET /dca/dataset', async (spent) => {
			inject(
				{ ...DATASET, kind: 'status', status: 202, body: { status: 'queued_for_reprocessing', message: 'hold on' } },
				{ ...DATASET, kind: 'status', status: 202, body: { status: 'MAGIC' } },
				{ ...DATASET, kind: 'status', status: 202, body: 'not json at all' },
			);
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectAllRows(result, spent());
				expect(spent().requests.filter(({ path, status }) => path === '/dca/dataset' && status === 202).length).toBeGreaterThanOrEqual(3);
			});
		}));

	test('a body far larger than expected (10 MB dataset): handled, no second job', () =>
		matrixCase('10 MB dataset body (huge; ~10,000 filler rows)', async (spent) => {
			inject({ ...DATASET, kind: 'huge', bytes: 10 * 1024 * 1024 });
			// Its speed is a benchmark's question (npm run bench), not a timed test's.
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expect(result.status).toBe('success');
				expect(spent().jobs).toBe(1);
				// The filler rows echo inputs the job never had, so they are linked to every item of the job.
				expect(unaccounted(result, ITEMS.length)).toEqual([]);
			});
		}));

	test('a row whose echoed input is 100,000 levels deep: all rows, nothing overflows', () =>
		matrixCase('dataset row with an `input` nested 100,000 levels deep', async (spent) => {
			const depth = 100_000;
			const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
			const body = `[${JSON.stringify({ title: 'speaker', input: ITEMS[0] })},${JSON.stringify({ input: ITEMS[1], error: 'failed', error_code: 'crawl_error' })},${JSON.stringify({ title: 'lamp', input: ITEMS[2] })},{"title":"deep","input":${deep}}]`;
			inject({ ...DATASET, kind: 'malformed', body });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				// Until pairing built its keys iteratively, this overflowed the stack, and the error did not name the snapshot.
				const [rows = [], failed = []] = result.outputOf(SCRAPER);
				expect(result.status).toBe('success');
				expect(rows.map(({ json }) => json.title)).toEqual(['speaker', 'deep', 'lamp']);
				expect(failed.map(({ json }) => json.input)).toEqual([ITEMS[1]]);
				// The deep row echoes no input the job had, so it is linked to every item of the job.
				expect(rows[1].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
				expect(unaccounted(result, ITEMS.length)).toEqual([]);
				expect(spent().jobs).toBe(1);
			});
		}));

	test('the same 100,000-deep row written to a JSON file: copied into the file as sent', () =>
		matrixCase('dataset row with an `input` nested 100,000 levels deep, Output: File (JSON)', async (spent) => {
			const depth = 100_000;
			const row = `{"title":"deep","input":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
			inject({ ...DATASET, kind: 'malformed', body: `[${row}]` });
			const result = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'json' }), ITEMS);
			return check(result, () => {
				// The streamed file never parses or serialises the row (JSON.stringify of it overflowed the stack).
				expect(result.status).toBe('success');
				const [file] = result.outputOf(SCRAPER)[0];
				expect(file.json).toMatchObject({ count: 1, format: 'json' });
				expect(Buffer.from(file.binary!.data.data, 'base64').toString()).toBe(`[${row}]`);
				expect(spent().jobs).toBe(1);
			});
		}));

	test('the same 100,000-deep row written to a CSV file: one error naming the snapshot', () =>
		matrixCase('dataset row with an `input` nested 100,000 levels deep, Output: File (CSV)', async (spent) => {
			const depth = 100_000;
			const body = `[{"title":"deep","input":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}]`;
			inject({ ...DATASET, kind: 'malformed', body });
			const result = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'csv' }), ITEMS);
			return check(result, () => {
				// A CSV cell holds the nested value as JSON text, and JSON.stringify cannot write it.
				expectErrorNamingSnapshot(result, spent());
				expect(result.error?.description).toContain('Get Dataset');
			});
		}));

	test('one 8 MB string in an NDJSON row: read whole, all rows', () =>
		matrixCase('dataset NDJSON row with one 8 MB string', async (spent) => {
			const long = 'é"\\'.repeat(2 * 1024 * 1024);
			const lines = [{ title: long, input: ITEMS[0] }, { input: ITEMS[1], error: 'failed', error_code: 'crawl_error' }, { title: 'lamp', input: ITEMS[2] }];
			inject({ ...DATASET, kind: 'malformed', body: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`, contentType: 'application/x-ndjson' });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expectAllRows(result, spent());
				expect(result.outputOf(SCRAPER)[0][0].json.title === long).toBe(true);
			});
		}));

	test('a huge body without collection_id answering the trigger: a short error, not resent', () =>
		matrixCase('2 MB body without collection_id on POST /dca/trigger', async (spent) => {
			inject({ ...TRIGGER, kind: 'huge', bytes: 2 * 1024 * 1024 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => {
				expect(spent().triggers).toBe(1);
				expect(result.error?.message).toContain('sent no collection_id');
				expect((result.error?.description ?? '').length).toBeLessThan(1000);
			});
		}));
});

describe('finished, empty and expired snapshots', () => {
	test('a job that failed at Bright Data (dataset `[]`): every input accounted for, or an error naming the snapshot', () =>
		matrixCase('`[]` for a finished job whose status is failed (c_failing07)', async (spent) => {
			const result = await run(triggerAndWait('c_failing07'), ITEMS.map((_, n) => product(`ok-${n}`)));
			return check(result, () => {
				expect(spent().jobs).toBe(1);
				const named = (result.error?.message ?? '').includes(snapshotOf(spent()));
				expect(named || unaccounted(result, ITEMS.length).length === 0).toBe(true);
			});
		}));

	test('a job that finished with no rows (dataset `[]`): a warning names the snapshot', () =>
		matrixCase('`[]` for a finished job with no rows (c_empty13)', async (spent) => {
			const result = await run(triggerAndWait('c_empty13'), ITEMS.map((_, n) => product(`ok-${n}`)));
			return check(result, () => {
				expect(result.status).toBe('success');
				expect(spent().jobs).toBe(1);
				const hints = result.run.data.resultData.runData[SCRAPER]?.[0]?.hints ?? [];
				// As Get Dataset does: say that the job produced no rows (or expired), as a warning.
				expect(hints).toEqual(
					expect.arrayContaining([expect.objectContaining({ type: 'warning', message: expect.stringContaining(snapshotOf(spent())) })]),
				);
			});
		}));

	test('`[]` while the job is still running: keeps waiting, all rows', () =>
		matrixCase('200 `[]` on the first poll of a running job (c_slow04, 13 emulated min)', async (spent) => {
			// A slow job, so it is certainly still running when the node asks the job log.
			inject({ ...DATASET, kind: 'malformed', body: '[]' });
			const result = await run(triggerAndWait('c_slow04'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('`[]` just before the job finishes (done by the time the log answers): all rows', () =>
		matrixCase('200 `[]` on the first poll, job finishes before /dca/log answers', async (spent) => {
			// The race the scaled clock exposed under load: the empty answer was "not ready yet", but the
			// log, asked a moment later, already says done. The rows exist; the node must not drop them.
			inject({ ...DATASET, kind: 'malformed', body: '[]' }, { method: 'GET', path: /^\/dca\/log\//, kind: 'delay', ms: 60 });
			const result = await run(triggerAndWait('c_products01'), ITEMS);
			return check(result, () => expectAllRows(result, spent()));
		}));

	test('404 mid-wait (the snapshot expired): one error naming the snapshot', () =>
		matrixCase('404 mid-wait (snapshot expired while polling)', async (spent) => {
			const before = api().requests.length;
			const watcher = setInterval(() => {
				const polls = api().requests.slice(before).filter(({ path }) => path === '/dca/dataset');
				if (polls.length >= 2) {
					clearInterval(watcher);
					api().expire(polls[0].query.id);
				}
			}, 1);
			try {
				const result = await run(triggerAndWait('c_stuck05'), ITEMS);
				return await check(result, () => {
					expectErrorNamingSnapshot(result, spent());
					expect(result.error?.message).toMatch(/does not exist or has expired \(404\)/);
				});
			} finally {
				clearInterval(watcher);
			}
		}));
});

describe('real-time and job operations', () => {
	test('trigger_immediate dropped after it was handled: not resent, one real-time job', () =>
		matrixCase('POST /dca/trigger_immediate dropped after handling', async (spent) => {
			inject({ method: 'POST', path: '/dca/trigger_immediate', kind: 'drop', after: true });
			const result = await run({ operation: 'runRealtime', collector: collectorId('c_realtime03'), options: { timeout: 3600 } }, [product('a')]);
			return check(result, () => {
				expect(result.error?.message).toMatch(/may have reached Bright Data/);
				expect(spent().responses).toBe(1);
				expect(spent().requests.filter(({ path }) => path === '/dca/trigger_immediate')).toHaveLength(1);
			});
		}));

	test('503 ×3 on get_result: retried, the row arrives', () =>
		matrixCase('503 ×3 on GET /dca/get_result', async (spent) => {
			inject({ method: 'GET', path: '/dca/get_result', kind: 'status', status: 503, times: 3 });
			const result = await run({ operation: 'runRealtime', collector: collectorId('c_realtime03'), options: { timeout: 3600 } }, [product('a'), product('b')]);
			return check(result, () => {
				expect(result.items.map(({ json }) => json.input)).toEqual([product('a'), product('b')]);
				expect(spent().responses).toBe(2);
			});
		}));

	test('rerun dropped after the server started the new job: not resent', () =>
		matrixCase('POST /dca/jobs/{id}/rerun dropped after handling', async (spent, id) => {
			inject({ method: 'POST', path: `/dca/jobs/${id}/rerun`, kind: 'drop', after: true });
			const result = await run({ resource: 'job', operation: 'rerun', snapshotId: id }, [{}]);
			return check(result, () => {
				expect(result.error?.message).toMatch(/may have reached Bright Data/);
				expect(spent().requests.filter(({ path }) => path.endsWith('/rerun'))).toHaveLength(1);
				expect(spent().jobs).toBe(1); // exactly one rerun job
			});
		}, startJob));
});
