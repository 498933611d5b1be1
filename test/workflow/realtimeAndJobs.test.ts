import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { collectorId } from '../harness/params';
import { runScraper } from '../harness/workflow';

const nock = useNock();
beforeEach(() => (timing.msPerSecond = 1));

// The largest timeout: time is scaled to 1 ms a second here, and a busy machine must not time out a test.
const realtime = (extra: { options?: object } = {}) => ({
	resource: 'collection',
	operation: 'runRealtime',
	collector: collectorId('c_rt'),
	...extra,
	options: { timeout: 3600, ...extra.options },
});
const job = (operation: string, extra = {}) => ({ resource: 'job', operation, snapshotId: '={{ $json.id }}', ...extra });

describe('Run Real-time', () => {
	test('one trigger_immediate per input, long-polls get_result through 202, rows linked to items', async () => {
		const inputs: unknown[] = [];
		nock(API)
			.post('/dca/trigger_immediate')
			.query({ collector: 'c_rt' })
			.twice()
			.reply(202, (_uri, body) => ({ response_id: `d_${inputs.push(body)}` }));
		nock(API).get('/dca/get_result').query({ response_id: 'd_1', timeout: '50s' }).reply(202, { pending: true });
		nock(API).get('/dca/get_result').query({ response_id: 'd_1', timeout: '50s' }).reply(200, [{ title: 'A', input: { url: 'a' } }]);
		// An old collector answers a single object.
		nock(API).get('/dca/get_result').query({ response_id: 'd_2', timeout: '50s' }).reply(200, { title: 'B', input: { url: 'b' } });

		const { items } = await runScraper(realtime({ options: { concurrency: 1 } }), [{ url: 'a' }, { url: 'b' }], { baseUrl: API });

		expect(inputs).toEqual([{ url: 'a' }, { url: 'b' }]);
		expect(items.map(({ json, pairedItem }) => [json.title, pairedItem])).toEqual([
			['A', { item: 0 }],
			['B', { item: 1 }],
		]);
	});

	test('empty, null and {"pending": true} answers with 200 mean "not yet"', async () => {
		nock(API).post('/dca/trigger_immediate').query(true).reply(200, { response_id: 'z_1' });
		for (const body of ['', 'null', '{"pending":true}']) nock(API).get('/dca/get_result').query(true).reply(200, body);
		nock(API).get('/dca/get_result').query(true).reply(200, [{ title: 'done' }]);

		const { items } = await runScraper(realtime(), [{ url: 'a' }], { baseUrl: API });

		expect(items.map(({ json }) => json.title)).toEqual(['done']);
	});

	test('a page-limit row can run the input as a batch job instead', async () => {
		nock(API).post('/dca/trigger_immediate').query(true).reply(202, { response_id: 'd_1' });
		nock(API)
			.get('/dca/get_result')
			.query(true)
			.reply(200, [{ input: { url: 'big' }, error: 'Request generated 501 pages and exceeded realtime job limit of 51 pages' }]);
		const batch = nock(API).post('/dca/trigger', [{ url: 'big' }]).query(true).reply(200, { collection_id: 'j_big' });
		nock(API).get('/dca/dataset').query({ id: 'j_big', format: 'json' }).reply(200, [{ title: 'Big', input: { url: 'big' } }]);

		const { items } = await runScraper(realtime({ options: { onPageLimit: 'batch' } }), [{ url: 'big' }], { baseUrl: API });

		expect(batch.isDone()).toBe(true);
		expect(items.map(({ json }) => json.title)).toEqual(['Big']);
	});

	test('a page-limit row is output with a hint by default', async () => {
		nock(API).post('/dca/trigger_immediate').query(true).reply(202, { response_id: 'd_1' });
		nock(API).get('/dca/get_result').query(true).reply(200, [{ error: 'Request generated 501 pages and exceeded realtime job limit of 51 pages' }]);

		const { items, run } = await runScraper(realtime(), [{ url: 'big' }], { baseUrl: API });

		expect(items[0].json.error).toContain('realtime job limit');
		expect(JSON.stringify(run.data.resultData.runData.Scraper[0].hints)).toContain('Run the Input as a Batch Job');
	});
});

describe('Crawl', () => {
	test('200 gives rows at once', async () => {
		nock(API).post('/dca/crawl', { url: 'a' }).query({ collector: 'c_rt', timeout: '50s' }).reply(200, [{ title: 'A' }]);

		const { items } = await runScraper({ ...realtime(), operation: 'crawl' }, [{ url: 'a' }], { baseUrl: API });

		expect(items.map(({ json }) => json.title)).toEqual(['A']);
	});

	test('202 crawl_results_timeout continues with get_result', async () => {
		nock(API)
			.post('/dca/crawl')
			.query({ collector: 'c_rt', timeout: '30s' })
			.reply(202, { error: 'crawl_results_timeout', message: 'Timeout waiting for crawl results', response_id: 'd_9' });
		nock(API).get('/dca/get_result').query({ response_id: 'd_9', timeout: '50s' }).reply(200, [{ title: 'late' }]);

		const { items } = await runScraper({ ...realtime({ options: { crawlTimeout: 30 } }), operation: 'crawl' }, [{ url: 'a' }], {
			baseUrl: API,
		});

		expect(items.map(({ json }) => json.title)).toEqual(['late']);
	});
});

describe('Job operations', () => {
	test('Get normalises key casing and the status word', async () => {
		nock(API)
			.get('/dca/log/j_1')
			.reply(200, { Id: 'j_1', Status: 'Cancelled', Collector: 'c_a', inputs: 3, Success_rate: 0.66, Job_time: 1200, extra: 'x' });

		const { items } = await runScraper({ ...job('get'), simplify: false }, [{ id: 'j_1' }], { baseUrl: API });

		expect(items[0].json).toMatchObject({ id: 'j_1', status: 'canceled', collector: 'c_a', inputs: 3, success_rate: 0.66, job_time: 1200, extra: 'x', lines: null });
	});

	test('Get Many pages through offset and limit', async () => {
		const page = (offset: number, count: number) => Array.from({ length: count }, (_, n) => ({ id: `j_${offset + n}` }));
		nock(API).get('/dca/collector/jobs').query((q) => q.offset === '0' && q.limit === '500' && q.collector === 'c_a' && q.from_date === '2026-11-01').reply(200, { total: 700, data: page(0, 500) });
		nock(API).get('/dca/collector/jobs').query((q) => q.offset === '500').reply(200, { total: 700, data: page(500, 200) });

		const { items } = await runScraper(
			{ resource: 'job', operation: 'getMany', collector: collectorId('c_a'), fromDate: '2026-11-01', toDate: '2026-11-28', returnAll: true, simplify: false },
			[{}],
			{ baseUrl: API },
		);

		expect(items).toHaveLength(700);
		expect(items[699].json).toEqual({ collector: 'c_a', id: 'j_699' });
	});

	test('Get Many stops at the limit', async () => {
		nock(API).get('/dca/collector/jobs').query((q) => q.limit === '3').reply(200, { total: 100, data: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });

		const { items } = await runScraper(
			{ resource: 'job', operation: 'getMany', collector: collectorId('c_a'), fromDate: '2026-11-01', toDate: '2026-11-28', limit: 3, simplify: false },
			[{}],
			{ baseUrl: API },
		);

		expect(items).toHaveLength(3);
	});

	test('Cancel answers text/plain OK; a finished job gives a clear error with the plain-text reason', async () => {
		nock(API).post('/dca/jobs/j_1/cancel').reply(200, 'OK', { 'content-type': 'text/plain' });
		nock(API).post('/dca/jobs/j_2/cancel').reply(400, 'Job is already finished', { 'content-type': 'text/plain' });

		const { items } = await runScraper(job('cancel'), [{ id: 'j_1' }, { id: 'j_2' }], { baseUrl: API, continueOnFail: true });

		expect(items[0].json).toEqual({ snapshot_id: 'j_1', canceled: true });
		expect(items[1].json.error).toBe('Job "j_2" cannot be cancelled: it has already ended');
		expect(items[1].json.description).toContain('Job is already finished');
		expect(items[1].json.description).not.toMatch(/Check the parameters/);
	});

	test('Rerun sends failed_only and returns the new snapshot ID', async () => {
		const rerun = nock(API).post('/dca/jobs/j_1/rerun', { failed_only: 1 }).once().reply(200, { collection_id: 'j_new', start_eta: 'soon' });

		const { items } = await runScraper(job('rerun', { failedOnly: true }), [{ id: 'j_1' }], { baseUrl: API });

		expect(rerun.isDone()).toBe(true);
		expect(items[0].json).toEqual({ snapshot_id: 'j_new', rerun_of: 'j_1', failed_only: true, start_eta: 'soon' });
	});

	test('Get Errors gives one item per error; plain-text 404 becomes a clear error', async () => {
		nock(API).get('/dca/jobs/j_1/hp_errors').reply(200, { errors: [{ url: 'u1', error: 'aborted', consumer: 'x' }, { url: 'u2', error: 'blocked' }] });
		nock(API).get('/dca/jobs/j_x/hp_errors').reply(404, 'Job not found', { 'content-type': 'text/plain' });

		const { items } = await runScraper(job('getErrors'), [{ id: 'j_1' }, { id: 'j_x' }], { baseUrl: API, continueOnFail: true });

		expect(items.map(({ json }) => json.error)).toEqual(['aborted', 'blocked', 'Snapshot "j_x" does not exist or has expired (404)']);
		expect(items[2].pairedItem).toEqual({ item: 1 });
	});

	test('an ID that could change the request path is refused before any request', async () => {
		const { error } = await runScraper(job('get'), [{ id: 'j_1/../dataset?id=x' }], { baseUrl: API });

		expect(error?.message).toBe('"j_1/../dataset?id=x" is not a snapshot ID');
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('a collector ID in the Snapshot ID field is named as such', async () => {
		const { error } = await runScraper(job('cancel'), [{ id: 'c_products01' }], { baseUrl: API });

		expect(error?.message).toBe('"c_products01" is a collector ID, not a snapshot ID');
	});
});
