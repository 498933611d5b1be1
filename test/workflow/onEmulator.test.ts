/**
 * The node against the Scraper Studio emulator over real HTTP: the same workflows as the nock
 * tests, but with a server that keeps job state, times jobs, fails inputs and injects faults.
 */
import { useEmulator } from '../harness/emulator';
import { collectorId, getDataset, triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';

const emulator = useEmulator();
const run = (parameters: Parameters<typeof runScraper>[0], items: Parameters<typeof runScraper>[1], extra = {}) =>
	runScraper(parameters, items, { baseUrl: emulator.current().url, token: emulator.current().token, ...extra });

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });

describe('Trigger and Wait on the emulator', () => {
	test('rows for good inputs, the failed input on the "Failed" output, one trigger call', async () => {
		const api = emulator.current();
		const before = api.count('POST', '/dca/trigger');

		const result = await run(triggerAndWait('c_products01'), [product('speaker'), product('fail-me'), product('lamp')]);
		const [rows, failed] = result.outputOf(SCRAPER);

		expect(result.status).toBe('success');
		expect(api.count('POST', '/dca/trigger') - before).toBe(1);
		expect(rows.map(({ json, pairedItem }) => [json.input, pairedItem])).toEqual([
			[product('speaker'), { item: 0 }],
			[product('lamp'), { item: 2 }],
		]);
		expect(rows[0].json).toHaveProperty('title');
		expect(failed).toEqual([
			{ json: expect.objectContaining({ input: product('fail-me'), error_code: expect.any(String) }), pairedItem: { item: 1 } },
		]);
	});

	test('10,000 inputs in jobs of 1,000: 10 jobs, rows in input order, each linked to its item, polls about those of one job', async () => {
		const api = emulator.current();
		const start = api.requests.length;
		const items = Array.from({ length: 10_000 }, (_, n) => product(`item-${n}`));

		// Failed inputs (urls containing "404" or "fail") stay in place, so every input is one row in order.
		// The default 900 s Timeout is 0.9 real seconds here, less than 10,000 items may take on a busy machine.
		const result = await run(triggerAndWait('c_products01', { options: { failedRows: 'main', inputsPerJob: 1000, timeout: 86_400 } }), items);
		const [rows] = result.outputOf(SCRAPER);
		const requests = api.requests.slice(start);

		expect(result.status).toBe('success');
		expect(requests.filter(({ path }) => path === '/dca/trigger')).toHaveLength(10);
		expect(rows).toHaveLength(10_000);
		rows.forEach(({ json, pairedItem }, n) => {
			expect(pairedItem).toEqual({ item: n });
			expect(json.input).toEqual(items[n]);
		});
		expect(rows.filter(({ json }) => json.error_code).length).toBe(items.filter(({ url }) => /404|fail/.test(url)).length);
		const polls = requests.filter(({ path }) => path === '/dca/dataset').length;
		expect(polls).toBeLessThan(10 + 10); // one download per job, plus the polls of about one job
	});

	test('no hint (the quickstart\'s bare pending answer): the node checks every 5 s, as the quickstart does, and finds the rows', async () => {
		const api = emulator.current();
		const start = api.requests.length;

		// 100 inputs: a 300 s job (300 real ms here).
		const items = Array.from({ length: 100 }, (_, n) => product(`item-${n}`));
		const result = await run(triggerAndWait('c_quickstart15'), items);

		expect(result.status).toBe('success');
		expect(result.outputOf(SCRAPER)[0]).toHaveLength(100);
		const requests = api.requests.slice(start);
		expect(requests.filter(({ path }) => path.startsWith('/dca/log/'))).toEqual([]);
		// The quickstart's loop sends 60 or 61 dataset requests for a 300 s job, a 1 s loop 300.
		expect(requests.filter(({ path }) => path === '/dca/dataset').length).toBeLessThanOrEqual(61);
	});

	test('search collector: two fields, two rows per input, both linked to the item', async () => {
		const result = await run(
			triggerAndWait('c_search02', { fieldsToSend: 'selected', inputFields: 'keyword, country' }),
			[
				{ keyword: 'speaker', country: 'US', sheetRow: 4 },
				{ keyword: 'lamp', country: 'DE', sheetRow: 5 },
			],
		);

		expect(result.items.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
	});

	test('422 when items carry fields the collector does not know', async () => {
		const result = await run(triggerAndWait('c_products01'), [{ ...product('a'), sheetRow: 4 }]);

		expect(result.error?.message).toBe('The inputs do not match the input schema of collector "c_products01" (422)');
	});

	test('quirks: NDJSON despite format=json, 200 with a status object, 503 bursts with Retry-After', async () => {
		for (const collector of ['c_ndjson06', 'c_quirky10', 'c_flaky09']) {
			const result = await run(triggerAndWait(collector), [product('a'), product('b')]);
			expect([collector, result.status, result.items.length]).toEqual([collector, 'success', 2]);
		}
	});

	test.each([{ outputMode: 'rows' }, { outputMode: 'allRows' }, { outputMode: 'file', fileFormat: 'csv' }])(
		'a job that never finishes follows On Timeout: output the snapshot ID, and nothing else (%o)',
		async (output) => {
			const result = await run(triggerAndWait('c_stuck05', { ...output, options: { timeout: 120, onTimeout: 'output' } }), [product('a')]);

			// No empty file or empty "all rows" item beside it: that would look like a finished job without rows.
			expect(result.items).toEqual([
				{ json: expect.objectContaining({ ready: false, timed_out: true, snapshot_id: expect.stringMatching(/^j_/) }), pairedItem: [{ item: 0 }] },
			]);
		},
	);

	test('On Timeout "cancel" cancels the job at the emulator', async () => {
		const api = emulator.current();
		const result = await run(triggerAndWait('c_stuck05', { options: { timeout: 60, onTimeout: 'cancel' } }), [product('a')]);
		const snapshotId = /Snapshot "(j_\w+)"/.exec(result.error?.message ?? '')?.[1] ?? '';

		expect(result.error?.message).toContain('the job was cancelled');
		expect(api.job(snapshotId)?.status).toMatch(/cancel/);
	});

	test('On Timeout "cancel" with several jobs cancels every unfinished job and names them all', async () => {
		const api = emulator.current();
		const start = api.jobs.length;
		const result = await run(triggerAndWait('c_stuck05', { options: { timeout: 60, onTimeout: 'cancel', inputsPerJob: 1 } }), [
			product('a'),
			product('b'),
			product('c'),
		]);
		const ids = api.jobs.slice(start).map(({ id }) => id);

		expect(ids).toHaveLength(3);
		expect(ids.map((id) => api.job(id)?.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
		expect(result.error?.message).toBe(
			`Snapshot "${ids[0]}" was not ready after 60 s (status: ${/status: (\w+)/.exec(result.error?.message ?? '')?.[1]}); the jobs of snapshots ${ids.join(', ')} were cancelled`,
		);
		expect(result.error?.description).toContain(`Cancelled at Bright Data: ${ids.join(', ')}.`);
		expect(result.error?.description).not.toMatch(/Snapshots already started/);
	});

	test('On Timeout "cancel" with several jobs and Continue On Fail: every cancelled job\'s items get the error, once', async () => {
		const api = emulator.current();
		const start = api.jobs.length;
		const result = await run(
			triggerAndWait('c_stuck05', { options: { timeout: 60, onTimeout: 'cancel', inputsPerJob: 2 } }),
			[product('a'), product('b'), product('c')],
			{ continueOnFail: true },
		);
		const ids = api.jobs.slice(start).map(({ id }) => id);

		expect(ids.map((id) => api.job(id)?.status)).toEqual(['cancelled', 'cancelled']);
		expect(result.items.map(({ json, pairedItem }) => [json.error, pairedItem])).toEqual(
			[0, 1, 2].map((item) => [expect.stringContaining(`the jobs of snapshots ${ids.join(', ')} were cancelled`), { item }]),
		);
	});

	test('stopping with "Cancel the Job If the Execution Is Stopped" cancels the job at the emulator', async () => {
		const api = emulator.current();
		const before = api.count('POST', /\/cancel$/);
		const start = api.requests.length;
		// Stop once a status check found the job running.
		const polled = () => api.requests.slice(start).some(({ path, status }) => path === '/dca/dataset' && status === 202);

		const result = await run(triggerAndWait('c_stuck05', { options: { cancelOnStop: true } }), [product('a')], { cancelWhen: polled });

		expect(result.status).toBe('canceled');
		expect(api.count('POST', /\/cancel$/) - before).toBe(1);
	});
});

describe('Get Dataset on the emulator', () => {
	test('an empty job gives no rows and a hint; an expired snapshot a clear 404', async () => {
		const api = emulator.current();
		const started = await run({ operation: 'trigger', collector: collectorId('c_empty13') }, [product('a')]);
		const snapshotId = String(started.items[0].json.snapshot_id);
		api.finish(snapshotId);

		const empty = await run(getDataset(snapshotId), [{}]);
		expect(empty.items).toEqual([]);
		expect(JSON.stringify(empty.run.data.resultData.runData[SCRAPER][0].hints)).toContain('the job finished without any');

		api.expire(snapshotId);
		const expired = await run(getDataset(snapshotId), [{}]);
		expect(expired.error?.message).toBe(`Snapshot "${snapshotId}" does not exist or has expired (404)`);
	});
});

describe('real-time and job operations on the emulator', () => {
	test('10 real-time inputs run in parallel: every trigger is sent before the first result arrives', async () => {
		const api = emulator.current();
		const start = api.requests.length;
		const items = Array.from({ length: 10 }, (_, n) => product(`rt-${n}`));

		const result = await run(
			{ resource: 'collection', operation: 'runRealtime', collector: collectorId('c_realtime03'), options: { concurrency: 10, timeout: 3600 } },
			items,
		);
		const requests = api.requests.slice(start);
		const lastTrigger = Math.max(...requests.filter(({ path }) => path === '/dca/trigger_immediate').map(({ time }) => Date.parse(time)));
		const firstResult = Math.min(
			...requests.filter(({ path, status }) => path === '/dca/get_result' && status === 200).map(({ time }) => Date.parse(time)),
		);

		expect(result.items.map(({ pairedItem }) => pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(lastTrigger).toBeLessThanOrEqual(firstResult);
	});

	test('Crawl follows a 202 crawl_results_timeout through get_result', async () => {
		const result = await run({ resource: 'collection', operation: 'crawl', collector: collectorId('c_slow04'), options: { timeout: 3600 } }, [
			product('a'),
		]);

		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
	});

	test('Run Real-Time and Crawl read their options per item, as Trigger does', async () => {
		const api = emulator.current();
		const start = api.requests.length;
		const perItem = [
			{ ...product('a'), dev: false, crawlTimeout: 25 },
			{ ...product('b'), dev: true, crawlTimeout: 40 },
		];
		const options = { timeout: 3600, useDevVersion: '={{ $json.dev }}', crawlTimeout: '={{ $json.crawlTimeout }}' };

		const realtime = await run({ resource: 'collection', operation: 'runRealtime', collector: collectorId('c_realtime03'), fieldsToSend: 'selected', inputFields: 'url', options }, perItem);
		const crawled = await run({ resource: 'collection', operation: 'crawl', collector: collectorId('c_realtime03'), fieldsToSend: 'selected', inputFields: 'url', options }, perItem);
		const sent = (path: string) => api.requests.slice(start).filter((request) => request.path === path).map(({ query }) => [query.version ?? null, query.timeout ?? null]);

		expect([realtime.status, crawled.status]).toEqual(['success', 'success']);
		expect(sent('/dca/trigger_immediate')).toEqual([[null, null], ['dev', null]]);
		expect(sent('/dca/crawl')).toEqual([[null, '25s'], ['dev', '40s']]);
	});

	test.each([
		['a pending object', { kind: 'status' as const, status: 200, body: { pending: true } }],
		['an empty body', { kind: 'malformed' as const, body: '' }],
	])('a 200 crawl answer with %s and nothing to follow fails, saying so', async (_name, fault) => {
		const api = emulator.current();
		api.injectFault({ path: '/dca/crawl', ...fault });

		const result = await run({ resource: 'collection', operation: 'crawl', collector: collectorId('c_realtime03'), options: { timeout: 3600 } }, [product('a')]);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Bright Data accepted the crawl (its 200 answer held no rows) but sent no response_id');
	});

	test('a 200 crawl answer with an empty list: no rows, and a notice that says so', async () => {
		emulator.current().injectFault({ path: '/dca/crawl', kind: 'status', status: 200, body: [] });

		const result = await run({ resource: 'collection', operation: 'crawl', collector: collectorId('c_realtime03'), options: { timeout: 3600 } }, [product('a')]);

		expect(result.status).toBe('success');
		expect(result.items).toEqual([]);
		expect(result.run.data.resultData.runData[SCRAPER][0].hints?.map(({ message }) => message)).toEqual([
			'The crawl of 1 input finished without rows: Bright Data answered an empty list (the collector found nothing).',
		]);
	});

	test('Get, Get Errors, Rerun and Get Many on jobs the emulator ran', async () => {
		const api = emulator.current();
		const started = await run({ operation: 'trigger', collector: collectorId('c_failing07') }, [product('a')]);
		const snapshotId = String(started.items[0].json.snapshot_id);
		api.finish(snapshotId);
		const job = (operation: string, extra = {}) => ({ resource: 'job', operation, snapshotId, ...extra });

		const log = await run(job('get'), [{}]);
		expect(log.items[0].json).toMatchObject({ id: snapshotId, status: 'failed', collector: 'c_failing07' });

		const errors = await run(job('getErrors'), [{}]);
		expect(errors.items.length).toBeGreaterThan(0);

		const rerun = await run(job('rerun', { failedOnly: true }), [{}]);
		expect(rerun.items[0].json).toMatchObject({ rerun_of: snapshotId, snapshot_id: expect.stringMatching(/^j_/) });

		const list = await run(
			{ resource: 'job', operation: 'getMany', collector: collectorId('c_failing07'), fromDate: '2020-01-01', toDate: '2099-01-01', returnAll: true },
			[{}],
		);
		expect(list.items.map(({ json }) => json.id)).toEqual(expect.arrayContaining([snapshotId]));
	});
});
