/**
 * What a new user meets on a first run: errors that say what to set, in the user's words.
 * Real n8n engine (WorkflowExecute), nock for the API answers.
 */
import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { collectorId, trigger, triggerAndWait } from '../harness/params';
import { runScraper } from '../harness/workflow';

const nock = useNock();
beforeAll(() => (timing.msPerSecond = 1));

describe('a first run with default settings', () => {
	test('Manual Trigger → node (Incoming Items, an empty item) says what to set, before any request', async () => {
		// A Manual Trigger sends one empty item; the node's defaults are Trigger and Wait with Incoming Items.
		const { status, error } = await runScraper(triggerAndWait('c_products'), [{}], { baseUrl: API });

		expect(status).toBe('error');
		expect(error?.message).toBe('Item 0 is empty, so it gives no input');
		expect(error?.description).toContain('Switch Input Source to JSON');
		expect(error?.description).toContain('add a "url" field with a Set (Edit Fields) node before this node');
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('Inputs that are not JSON: the message names the parameter and the item', async () => {
		const parameters = { ...trigger('c_a'), inputSource: 'json', inputs: '={{ $json.inputs }}' };
		const { error } = await runScraper(parameters, [{ inputs: '[{"url": "a"}]' }, { inputs: '[{url: b}]' }], { baseUrl: API });

		expect(error?.message).toBe("The 'Inputs' parameter is not valid JSON [item 1]");
		expect(error?.description).toContain('as evaluated for item 1');
	});
});

describe('API answers in the user\'s words', () => {
	test('a real-time collector used with a batch operation: use Run Real-Time', async () => {
		nock(API)
			.post('/dca/trigger')
			.query(true)
			.reply(400, { error: 'Cannot trigger a batch job with a real-time scraper. Use /trigger_immediate endpoint instead' });

		const { error } = await runScraper(trigger('c_realtime03'), [{ url: 'https://shop/a' }], { baseUrl: API });

		expect(error?.message).toBe('Collector "c_realtime03" is a real-time collector, so it cannot start a batch job');
		expect(error?.description).toContain('Set Operation to "Run Real-Time"');
		expect(JSON.stringify(error)).not.toContain('/trigger_immediate endpoint');
	});

	test('another 400 keeps Bright Data\'s own words', async () => {
		nock(API).post('/dca/trigger').query(true).reply(400, { error: 'Invalid deadline' });

		const { error } = await runScraper(trigger('c_a'), [{ url: 'https://shop/a' }], { baseUrl: API });

		expect(error?.message).toBe('Bright Data refused collector "c_a" (400)');
		expect(error?.description).toContain('Invalid deadline');
	});

	test('the "Custom API Call" resource n8n adds points to the HTTP Request node', async () => {
		const { error } = await runScraper({ resource: '__CUSTOM_API_CALL__' }, [{}], { baseUrl: API });

		expect(error?.message).toBe('Custom API calls run in the HTTP Request node, not in this node');
		expect(error?.description).toContain('Predefined Credential Type');
	});
});

describe('Job → Get', () => {
	const log = { id: 'j_1', status: 'done', collector: 'c_a', template: 't_1', inputs: 2, dup_inputs: 0, lines: 5, fails: 1, pages: 9 };

	test('Simplify keeps the 10 most useful fields', async () => {
		nock(API).get('/dca/log/j_1').reply(200, log);

		const { items } = await runScraper({ resource: 'job', operation: 'get', snapshotId: 'j_1', simplify: true }, [{}], { baseUrl: API });

		expect(Object.keys(items[0].json)).toEqual(['id', 'status', 'collector', 'inputs', 'lines', 'fails', 'success_rate', 'created', 'finished', 'job_time']);
		expect(items[0].json).toMatchObject({ id: 'j_1', lines: 5, fails: 1 });
	});

});

describe('Job → Get Many', () => {
	const listed = {
		id: 'j_1', status: 'done', queued: 'q', started: 's', finished: 'f', inputs: 2, page_loads: 3,
		total_pages: 3, failed_pages: 0, data_lines: 5, trigger: { type: 'CP', user: 'u', ip: '1.2.3.4' }, expired: false,
	};
	const getMany = (extra = {}) => ({
		resource: 'job', operation: 'getMany', collector: collectorId('c_a'), fromDate: '2026-11-01', toDate: '2026-11-28', ...extra,
	});

	test('Simplify keeps 10 fields of each listed job', async () => {
		nock(API).get('/dca/collector/jobs').query(true).reply(200, { total: 1, data: [listed] });

		const { items } = await runScraper(getMany({ simplify: true }), [{}], { baseUrl: API });

		expect(items[0].json).toEqual({
			collector: 'c_a', id: 'j_1', status: 'done', inputs: 2, data_lines: 5, failed_pages: 0, page_loads: 3, queued: 'q', started: 's', finished: 'f',
		});
	});

	test('without Simplify every field stays', async () => {
		nock(API).get('/dca/collector/jobs').query(true).reply(200, { total: 1, data: [listed] });

		const { items } = await runScraper(getMany({ simplify: false }), [{}], { baseUrl: API });

		expect(items[0].json).toEqual({ collector: 'c_a', ...listed });
	});
});
