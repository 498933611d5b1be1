import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { triggerAndWait } from '../harness/params';
import { runScraper, TEST_TOKEN } from '../harness/workflow';

const nock = useNock();
beforeEach(() => (timing.msPerSecond = 1));

const urls = ['https://shop/a', 'https://shop/b', 'https://shop/c'];
const items = urls.map((url) => ({ url }));
const rowFor = (url: string, extra = {}) => ({ title: `Title of ${url}`, price: 10, input: { url }, ...extra });

const triggerOnce = (id = 'j_1') => nock(API).post('/dca/trigger').query(true).once().reply(200, { collection_id: id });
const dataset = (id = 'j_1') => nock(API).get('/dca/dataset').query({ id, format: 'json' });

describe('Trigger and Wait', () => {
	test('polls through 202 answers, then emits one item per row linked to its incoming item', async () => {
		const trigger = triggerOnce();
		dataset().reply(202, { status: 'building', message: 'Dataset is not ready yet, try again in 5s' });
		dataset().reply(202, { status: 'collecting' });
		dataset().reply(200, { status: 'building' });
		dataset().reply(200, [rowFor(urls[2]), rowFor(urls[0]), rowFor(urls[1], { n: 1 }), rowFor(urls[1], { n: 2 })]);

		const { status, items: out } = await runScraper(triggerAndWait('c_products'), items, { baseUrl: API });

		expect(status).toBe('success');
		expect(trigger.isDone()).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
		expect(out.map(({ json, pairedItem }) => [json.input, json.n, pairedItem])).toEqual([
			[{ url: urls[0] }, undefined, { item: 0 }],
			[{ url: urls[1] }, 1, { item: 1 }],
			[{ url: urls[1] }, 2, { item: 1 }],
			[{ url: urls[2] }, undefined, { item: 2 }],
		]);
	});


	test('the hint is waited in full, not capped by the Poll Interval', async () => {
		// 1 s = 50 ms. An answer slower than 0.6 s (30 ms here: a busy machine) widens the hinted
		// window, and the node then adds one split check a second before its middle: about 29.5 s
		// after the request, less half the answer's lateness when measured from the answer. Either
		// way the wait is far above the 8 s Poll Interval.
		timing.msPerSecond = 50;
		const polledAt: number[] = [];
		triggerOnce();
		// Decimal hints (no split check), both above the 8 s interval.
		dataset().delay(60).reply(202, () => (polledAt.push(Date.now()), { status: 'building', message: 'try again in 30.5s' }));
		dataset().reply(202, () => (polledAt.push(Date.now()), { status: 'building', message: 'try again in 25.5s' }));
		dataset().reply(200, () => (polledAt.push(Date.now()), [rowFor(urls[0])]));

		const { status } = await runScraper(triggerAndWait('c_products', { options: { pollInterval: 8 } }), items.slice(0, 1), { baseUrl: API });

		expect(status).toBe('success');
		const gaps = polledAt.slice(1).map((at, n) => at - polledAt[n]);
		expect(gaps[0]).toBeGreaterThanOrEqual(1000); // 30.5 s (or the split check after a slow answer), not the 8 s interval
		expect(gaps[1]).toBeGreaterThanOrEqual(1250); // 25.5 s
	});

	test('reads NDJSON rows', async () => {
		triggerOnce();
		dataset().reply(200, `${JSON.stringify(rowFor(urls[0]))}\n${JSON.stringify(rowFor(urls[1]))}\n`);

		const { items: out } = await runScraper(triggerAndWait('c_products'), items.slice(0, 2), { baseUrl: API });

		expect(out.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test('5xx and 429 on polls are retried, honouring Retry-After', async () => {
		timing.msPerSecond = 10;
		triggerOnce();
		const times: number[] = [];
		dataset().reply(503, () => (times.push(Date.now()), 'Service Unavailable'));
		dataset().reply(429, () => (times.push(Date.now()), 'Too Many Requests'), { 'Retry-After': '20' });
		dataset().reply(200, () => (times.push(Date.now()), [rowFor(urls[0])]));

		const { status, items: out } = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });

		expect(status).toBe('success');
		expect(out).toHaveLength(1);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(200); // Retry-After: 20 s at 10 ms a second
	});

	test('polls give up after a bounded number of server errors, naming the snapshot', async () => {
		triggerOnce('j_flaky');
		dataset('j_flaky').times(5).reply(500, { error: 'Internal error' });

		const { status, error } = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });

		expect(status).toBe('error');
		expect(nock.pendingMocks()).toEqual([]);
		expect(error?.message).toBe('Bright Data had a server error (500) for snapshot "j_flaky"');
		expect(error?.description).toContain('tried 5 times');
	});

	test('the timeout error says how long it waited and names the snapshot', async () => {
		triggerOnce('j_slow');
		dataset('j_slow').times(1000).reply(202, { status: 'building' });

		const { status, error } = await runScraper(
			triggerAndWait('c_products', { options: { timeout: 30, pollInterval: 5 } }),
			items.slice(0, 1),
			{ baseUrl: API },
		);

		expect(status).toBe('error');
		expect(error?.message).toBe('Snapshot "j_slow" was not ready after 30 s (status: building)');
		expect(error?.description).toContain('Get Dataset');
	});

	test('stopping the execution stops polling at once (not at the next check)', async () => {
		timing.msPerSecond = 1000;
		triggerOnce('j_long');
		let polls = 0;
		// The next check is an hour away: a wait that ignored Stop would hold the run past jest's
		// timeout, so the test needs no upper bound on a measured time.
		dataset('j_long').times(100).reply(202, () => (polls++, { status: 'building', message: 'try again in 3600s' }));

		const result = await runScraper(triggerAndWait('c_products', { options: { pollInterval: 3600 } }), items.slice(0, 1), {
			baseUrl: API,
			cancelAfterMs: 300,
		});

		expect(result.status).toBe('canceled');
		// The first check comes 5 s after the trigger: none before the stop, none after it.
		expect(polls).toBe(0);
	});

	test('Cancel on Stop: the cancel is sent after the stop, with the Bearer token, to the Base URL', async () => {
		// A Base URL with a path (a proxy of the user's): the cancel goes below it, like every request.
		const base = `${API}/proxy`;
		nock(base).post('/dca/trigger').query(true).once().reply(200, { collection_id: 'j_stop' });
		let polled = false;
		nock(base).get('/dca/dataset').query(true).times(100).reply(202, () => ((polled = true), { status: 'building', message: 'try again in 3600s' }));
		const headers: Array<Record<string, unknown>> = [];
		const cancel = nock(base)
			.post('/dca/jobs/j_stop/cancel')
			.once()
			.reply(function () {
				headers.push(this.req.headers);
				return [200, { ok: true }];
			});

		const result = await runScraper(triggerAndWait('c_products', { options: { cancelOnStop: true } }), items.slice(0, 1), {
			baseUrl: base,
			cancelWhen: () => polled,
		});

		expect(result.status).toBe('canceled');
		expect(cancel.isDone()).toBe(true);
		expect(headers).toEqual([expect.objectContaining({ authorization: `Bearer ${TEST_TOKEN}`, accept: 'application/json' })]);
	});

	test('Cancel on Stop follows no redirect: the token stays at the Base URL', async () => {
		triggerOnce('j_moved');
		let polled = false;
		dataset('j_moved').times(100).reply(202, () => ((polled = true), { status: 'building', message: 'try again in 3600s' }));
		const moved = nock(API).post('/dca/jobs/j_moved/cancel').once().reply(307, '', { location: 'https://elsewhere.test/cancel' });
		const elsewhere = nock('https://elsewhere.test').post('/cancel').reply(200, {});

		const result = await runScraper(triggerAndWait('c_products', { options: { cancelOnStop: true } }), items.slice(0, 1), {
			baseUrl: API,
			cancelWhen: () => polled,
		});

		expect(result.status).toBe('canceled');
		expect(moved.isDone()).toBe(true);
		expect(elsewhere.isDone()).toBe(false);
	});

	test('with Continue On Fail a failed job becomes error items, one per incoming item', async () => {
		triggerOnce('j_gone');
		dataset('j_gone').reply(404, { error: 'Not found' });

		const { status, items: out } = await runScraper(triggerAndWait('c_products'), items.slice(0, 2), {
			baseUrl: API,
			continueOnFail: true,
		});

		expect(status).toBe('success');
		expect(out).toEqual([
			{ json: expect.objectContaining({ error: 'Snapshot "j_gone" does not exist or has expired (404)' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: 'Snapshot "j_gone" does not exist or has expired (404)' }), pairedItem: { item: 1 } },
		]);
	});

	test('several jobs are triggered first, then waited for in turn, rows in input order', async () => {
		let triggers = 0;
		nock(API)
			.post('/dca/trigger')
			.query(true)
			.times(2)
			.reply(200, () => ({ collection_id: `j_${++triggers}` }));
		dataset('j_1').reply(202, { status: 'building', message: 'try again in 2s' });
		dataset('j_1').reply(200, [rowFor(urls[1]), rowFor(urls[0])]);
		dataset('j_2').reply(200, [rowFor(urls[2])]);

		const { items: out } = await runScraper(triggerAndWait('c_products', { options: { inputsPerJob: 2 } }), items, {
			baseUrl: API,
		});

		expect(triggers).toBe(2);
		expect(out.map(({ pairedItem }) => pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('an empty dataset while the job still runs is "not ready", per the job log', async () => {
		triggerOnce('j_early');
		dataset('j_early').reply(200, []);
		nock(API).get('/dca/log/j_early').reply(200, { id: 'j_early', Status: 'running' });
		dataset('j_early').reply(200, [rowFor(urls[0])]);

		const { items: out } = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });

		expect(out.map(({ json }) => json.title)).toEqual([`Title of ${urls[0]}`]);
	});

	test('an empty dataset of a failed job is an error naming it; of a finished job, no rows', async () => {
		triggerOnce('j_failed');
		dataset('j_failed').reply(200, []);
		nock(API).get('/dca/log/j_failed').reply(200, { id: 'j_failed', status: 'failed' });
		const failed = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });
		expect(failed.error?.message).toBe('Job "j_failed" failed at Bright Data and produced no rows');

		triggerOnce('j_none');
		dataset('j_none').twice().reply(200, []); // read again after the log says done
		nock(API).get('/dca/log/j_none').reply(200, { id: 'j_none', status: 'done' });
		const none = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });
		expect([none.status, none.items]).toEqual(['success', []]);
	});

	test('a torn dataset body is downloaded again; three torn bodies give an error naming the snapshot', async () => {
		triggerOnce('j_torn');
		dataset('j_torn').reply(200, `${JSON.stringify(rowFor(urls[0]))}\n{"title":"cut`);
		dataset('j_torn').reply(200, [rowFor(urls[0])]);
		const saved = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });
		expect(saved.items).toHaveLength(1);

		triggerOnce('j_torn2');
		dataset('j_torn2').times(3).reply(200, '{"title":"cut');
		const failed = await runScraper(triggerAndWait('c_products'), items.slice(0, 1), { baseUrl: API });
		expect(failed.error?.message).toBe('Bright Data sent an unreadable dataset for snapshot "j_torn2"');
		expect(nock.pendingMocks()).toEqual([]);
	});
});
