import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { getDataset, trigger, triggerAndWait } from '../harness/params';
import { runScraper, TEST_TOKEN } from '../harness/workflow';

const nock = useNock();
beforeAll(() => (timing.msPerSecond = 1));

const oneItem = [{ url: 'https://shop/a' }];

describe('API errors become clear NodeApiErrors', () => {
	test('401: re-copy the token', async () => {
		nock(API).post('/dca/trigger').query(true).reply(401, { error: 'Invalid credentials' });

		const { error } = await runScraper(trigger('c_products'), oneItem, { baseUrl: API });

		expect(error?.message).toBe('Bright Data rejected the API token (401) for collector "c_products"');
		expect(error?.description).toContain('API Tokens');
		expect(error?.description).toContain('Invalid credentials');
	});

	test('404 on trigger: check the collector ID and access', async () => {
		nock(API).post('/dca/trigger').query(true).reply(404, { error: 'Collector not found' });

		const { error } = await runScraper(trigger('c_nope'), oneItem, { baseUrl: API });

		expect(error?.message).toBe('Collector "c_nope" was not found (404)');
		expect(error?.description).toMatch(/collector ID.*access/s);
	});

	test('422: match the collector\'s input schema', async () => {
		nock(API).post('/dca/trigger').query(true).reply(422, { error: 'Unexpected field: sheet' });

		const { error } = await runScraper(triggerAndWait('c_products'), [{ url: 'x', sheet: 1 }], { baseUrl: API });

		expect(error?.message).toBe('The inputs do not match the input schema of collector "c_products" (422)');
		expect(error?.description).toContain('Selected Fields');
		expect(error?.description).toContain('Unexpected field: sheet');
	});

	test('a plain-text error body is shown, truncated', async () => {
		nock(API).get('/dca/dataset').query(true).reply(400, 'x'.repeat(1000));

		const { error } = await runScraper(getDataset('j_1'), [{}], { baseUrl: API });

		expect(error?.description?.length).toBeLessThan(600);
	});
});

describe('the trigger is never sent twice', () => {
	test('a 502 from a gateway is not retried and says to look for the job', async () => {
		const api = nock(API).post('/dca/trigger').query(true).once().reply(502, 'Bad Gateway');

		const { error } = await runScraper(trigger('c_products'), oneItem, { baseUrl: API });

		expect(api.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toContain('server error (502)');
		expect(error?.description).toContain('may still have reached Bright Data');
	});

	test('a connection reset after sending is not retried', async () => {
		let sent = 0;
		nock(API)
			.post('/dca/trigger')
			.query(true)
			.times(3)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.on('request', () => sent++);

		const { error } = await runScraper(trigger('c_products'), oneItem, { baseUrl: API });

		expect(sent).toBe(1);
		expect(error?.message).toBe('The trigger request for collector "c_products" failed after it may have reached Bright Data (ECONNRESET)');
		expect(error?.description).toContain('no second job is billed');
	});

	test('503 and 429 answers (job not accepted) are retried', async () => {
		const api = nock(API)
			.post('/dca/trigger').query(true).reply(503, 'busy')
			.post('/dca/trigger').query(true).reply(429, 'slow down', { 'Retry-After': '1' })
			.post('/dca/trigger').query(true).reply(200, { collection_id: 'j_ok' });

		const { items } = await runScraper(trigger('c_products'), oneItem, { baseUrl: API });

		expect(api.isDone()).toBe(true);
		expect(items[0].json.snapshot_id).toBe('j_ok');
	});

	test('a refused connection (nothing sent) is retried', async () => {
		const api = nock(API)
			.post('/dca/trigger').query(true).replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))
			.post('/dca/trigger').query(true).reply(200, { collection_id: 'j_ok' });

		const { items } = await runScraper(trigger('c_products'), oneItem, { baseUrl: API });

		expect(api.isDone()).toBe(true);
		expect(items[0].json.snapshot_id).toBe('j_ok');
	});

	test('when a second job fails, the error names the snapshot already started', async () => {
		nock(API)
			.post('/dca/trigger').query(true).reply(200, { collection_id: 'j_first' })
			.post('/dca/trigger').query(true).reply(422, { error: 'bad input' });

		const { error } = await runScraper(trigger('c_products', { options: { inputsPerJob: 1 } }), [{ url: 'a' }, { url: 'b' }], {
			baseUrl: API,
		});

		expect(error?.description).toContain('Snapshots already started: j_first');
	});
});

describe('bad input fails before any request, naming the item', () => {
	const cases: Array<[string, Record<string, unknown>, unknown[], RegExp]> = [
		// Expressions: the editor already refuses these typed in, so they can only arrive at run time.
		['a missing collector', trigger('={{ $json.nothing }}'), oneItem, /No collector ID/],
		['a malformed collector', trigger('={{ "j_123" }}'), oneItem, /"j_123" is not a collector ID/],
		['a collector that could change the query', trigger('={{ "c_a&collector=c_b" }}'), oneItem, /not a collector ID/],
		['inputs that are not JSON', { ...trigger('c_a'), inputSource: 'json', inputs: '[{url:' }, [{}], /not valid JSON/],
		['inputs that are not an array', { ...trigger('c_a'), inputSource: 'json', inputs: '{"url":"x"}' }, [{}], /must be a JSON array/],
		['inputs with non-objects', { ...trigger('c_a'), inputSource: 'json', inputs: '[{"url":"x"}, "y"]' }, [{}], /Input 1 is not an object/],
		['an empty input array', { ...trigger('c_a'), inputSource: 'json', inputs: '[]' }, [{}], /empty array/],
		['an empty item', trigger('c_a'), [{}], /Item 0 is empty/],
		['selected fields missing', { ...trigger('c_a'), fieldsToSend: 'selected', inputFields: 'url' }, [{ link: 'x' }], /none of the fields url/],
		['a missing snapshot ID', getDataset('  '), [{}], /No snapshot ID/],
		['a zero timeout', triggerAndWait('c_a', { options: { timeout: 0 } }), oneItem, /Timeout must be a number/],
		['a negative poll interval', triggerAndWait('c_a', { options: { pollInterval: -5 } }), oneItem, /Poll Interval must be a number/],
	];

	test.each(cases)('%s', async (_name, parameters, items, message) => {
		const { status, error } = await runScraper(parameters as never, items as never, { baseUrl: API });

		expect(status).toBe('error');
		expect(error?.message).toMatch(message);
		expect((error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(0);
		expect(nock.pendingMocks()).toEqual([]); // no request was made (nock refuses any)
	});

	test('with Continue On Fail a bad item becomes an error item and the others go on', async () => {
		const api = nock(API).post('/dca/trigger', [{ url: 'https://shop/b' }]).query(true).reply(200, { collection_id: 'j_ok' });

		const { items } = await runScraper(trigger('c_products'), [{}, { url: 'https://shop/b' }], { baseUrl: API, continueOnFail: true });

		expect(api.isDone()).toBe(true);
		expect(items).toEqual([
			{ json: expect.objectContaining({ error: 'Item 0 is empty, so it gives no input' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ snapshot_id: 'j_ok' }), pairedItem: [{ item: 1 }] },
		]);
	});
});

describe('the token stays secret', () => {
	test('it appears in no output item, error, or URL', async () => {
		const urls: string[] = [];
		nock(API)
			.post('/dca/trigger').query(true).reply(function () {
				urls.push(this.req.path);
				return [200, { collection_id: 'j_1' }];
			})
			.get('/dca/dataset').query(true).reply(function () {
				urls.push(this.req.path);
				return [401, { error: 'Invalid credentials' }];
			});

		const result = await runScraper(triggerAndWait('c_products'), oneItem, { baseUrl: API, continueOnFail: true });

		expect(urls).toHaveLength(2);
		const everything = JSON.stringify({ urls, run: result.run, error: result.error });
		expect(everything).not.toContain(TEST_TOKEN);
		expect(result.items[0].json.error).toContain('401');
	});
});
