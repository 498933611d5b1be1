/**
 * The emulator against its spec (/work/shared/docs/scraper-studio-api.md §13), over real HTTP.
 * `main` runs at real speed and is driven with `advance()`, so job timing is deterministic;
 * `fast` runs 100× faster for the tests that need real waiting (polling, long-polls, crawl).
 */
import { startEmulator, type Emulator } from '../../emulator/server';
import { call, parseNdjson, startReceiver, trigger } from './client';

type Rows = Array<Record<string, unknown>>;

let main: Emulator;
let fast: Emulator;

beforeAll(async () => {
	[main, fast] = await Promise.all([startEmulator(), startEmulator({ timeScale: 100 })]);
});
afterAll(async () => {
	await Promise.all([main.close(), fast.close()]);
});
afterEach(() => main.clearFaults());

const dataset = (emulator: Emulator, id: string, format?: string) =>
	call(emulator, 'GET', '/dca/dataset', { query: format ? { id, format } : { id } });

const PRODUCT = 'https://shop.example/product/echo-portable-speaker';

describe('authentication', () => {
	test.each([
		[null, 'Credentials are missing'],
		['Bearer wrong-token', 'Invalid credentials'],
		['Basic dXNlcjpwYXNz', 'Auth method is not supported'],
	])('Authorization %p → 401 %p', async (authorization, error) => {
		const result = await call(main, 'GET', '/dca/collectors_list', { authorization });
		expect(result.status).toBe(401);
		expect(result.json()).toEqual({ error });
	});

	test('every route checks the token, and the token is never recorded', async () => {
		expect((await call(main, 'POST', '/dca/trigger', { query: { collector: 'c_products01' }, body: [{ url: PRODUCT }], authorization: 'Bearer nope' })).status).toBe(401);
		expect((await call(main, 'GET', '/dca/log/j_whatever', { authorization: null })).status).toBe(401);
		expect(JSON.stringify(main.requests)).not.toContain(main.token);
	});
});

describe('POST /dca/trigger', () => {
	test('200 with a j_ collection_id and an ISO start_eta; query options are recorded', async () => {
		const notify = JSON.stringify({ type: 'webhook', endpoint: 'http://127.0.0.1:9/hook' });
		const result = await call(main, 'POST', '/dca/trigger', {
			query: { collector: 'c_products01', queue_next: 1, name: 'nightly', version: 'dev', queue: 'q1', deadline: '1h', no_downloads: 0, confirm_cancel: 1, notify },
			body: [{ url: PRODUCT }],
		});
		expect(result.status).toBe(200);
		const { collection_id, start_eta } = result.json<{ collection_id: string; start_eta: string }>();
		expect(collection_id).toMatch(/^j_[a-z0-9]+$/);
		expect(new Date(start_eta).toISOString()).toBe(start_eta);
		expect(main.job(collection_id)?.options).toEqual({
			name: 'nightly',
			version: 'dev',
			queue: 'q1',
			queueNext: 1,
			confirmCancel: 1,
			noDownloads: 0,
			deadline: '1h',
			notify: { type: 'webhook', endpoint: 'http://127.0.0.1:9/hook' },
		});
	});

	test.each<{ name: string; query: Record<string, string>; body: unknown; status: number; message: string }>([
		{ name: 'unknown collector', query: { collector: 'c_nope' }, body: [{ url: PRODUCT }], status: 404, message: 'Collector not found' },
		{ name: 'missing collector', query: {}, body: [{ url: PRODUCT }], status: 400, message: 'Missing collector parameter' },
		{ name: 'unknown input field', query: { collector: 'c_products01' }, body: [{ url: PRODUCT }, { link: 'x' }], status: 422, message: 'Input #2 has unknown field "link"' },
		{ name: 'missing required field', query: { collector: 'c_search02' }, body: [{ keyword: 'shoes' }], status: 422, message: 'missing required field "country"' },
		{ name: 'object instead of array', query: { collector: 'c_products01' }, body: { url: PRODUCT }, status: 400, message: 'JSON array' },
		{ name: 'empty array', query: { collector: 'c_products01' }, body: [], status: 400, message: 'no inputs' },
		{
			name: 'real-time collector',
			query: { collector: 'c_realtime03' },
			body: [{ url: PRODUCT }],
			status: 400,
			message: 'Cannot trigger a batch job with a real-time scraper. Use /trigger_immediate endpoint instead',
		},
		{
			name: 'double-encoded notify',
			query: { collector: 'c_products01', notify: encodeURIComponent('{"type":"webhook"}') },
			body: [{ url: PRODUCT }],
			status: 400,
			message: 'Invalid notify parameter',
		},
		{ name: 'malformed deadline', query: { collector: 'c_products01', deadline: 'soon' }, body: [{ url: PRODUCT }], status: 400, message: 'Invalid deadline' },
	])('$name → $status', async ({ query, body, status, message }) => {
		const jobsBefore = main.jobs.length;
		const result = await call(main, 'POST', '/dca/trigger', { query, body });
		expect(result.status).toBe(status);
		expect(result.json<{ error: string }>().error).toContain(message);
		expect(main.jobs).toHaveLength(jobsBefore);
	});

	test('a body that is not JSON → 400', async () => {
		const result = await call(main, 'POST', '/dca/trigger', { query: { collector: 'c_products01' }, rawBody: '[{"url":' });
		expect(result.status).toBe(400);
	});

	test('optional input fields may be omitted; unknown ones may not', async () => {
		await expect(trigger(main, 'c_search02', [{ keyword: 'shoes', country: 'US' }, { keyword: 'hats', country: 'FR', max_results: 5 }])).resolves.toMatch(/^j_/);
	});
});

describe('GET /dca/dataset', () => {
	test('202 "not ready" while building, then 200 with rows in input order (real waiting, 100× time)', async () => {
		const inputs = [{ url: PRODUCT }, { url: 'https://shop.example/product/nimbus-cloud-storage' }];
		const id = await trigger(fast, 'c_products01', inputs);
		const first = await dataset(fast, id, 'json');
		expect(first.status).toBe(202);
		const pending = first.json<{ status: string; message: string }>();
		expect(pending.status).toBe('building');
		const hint = Number(pending.message.match(/^Dataset is not ready yet, try again in (\d+)s$/)?.[1]);
		expect(hint).toBeGreaterThanOrEqual(1);

		// The hint is in emulated seconds; the client scales it like the emulator does.
		let ready = first;
		for (let polls = 0; ready.status === 202 && polls < 20; polls++) {
			await new Promise((resolve) => setTimeout(resolve, (hint * 1000) / fast.timeScale / 2));
			ready = await dataset(fast, id, 'json');
		}
		expect(ready.status).toBe(200);
		const rows = ready.json<Rows>();
		expect(rows.map((row) => row.input)).toEqual(inputs);
		expect(rows[0]).toMatchObject({ title: 'Echo Portable Speaker', currency: 'USD', availability: 'in stock', url: PRODUCT });
		expect(typeof rows[0].price).toBe('number');
	});

	test('error rows and warnings are mixed in, in input order; NDJSON without format=json', async () => {
		const inputs = [{ url: PRODUCT }, { url: 'https://shop.example/gone/404' }, { url: 'https://shop.example/warn-me' }, { url: 'https://shop.example/fail' }];
		const id = await trigger(main, 'c_products01', inputs);
		main.advance(30);

		const asJson = await dataset(main, id, 'json');
		expect(asJson.headers.get('content-type')).toContain('application/json');
		const rows = asJson.json<Rows>();
		expect(rows.map((row) => row.input)).toEqual(inputs);
		expect(rows[0].error).toBeUndefined();
		expect(rows[1]).toEqual({ input: inputs[1], error: expect.any(String), error_code: 'dead_page', status_code: 404 });
		expect(rows[2]).toMatchObject({ warning_code: 'validation', title: 'Warn Me' });
		expect(rows[3]).toMatchObject({ error_code: 'crawl_error', status_code: 500 });

		const asNdjson = await dataset(main, id);
		expect(asNdjson.headers.get('content-type')).toContain('application/x-ndjson');
		expect(parseNdjson(asNdjson.text)).toEqual(rows);
	});

	test('a dataset of 2,500 rows (sent in pieces of 1,000) is byte for byte one JSON array or NDJSON, with its Content-Length', async () => {
		const inputs = Array.from({ length: 2500 }, (_, index) => ({ url: `https://shop.example/product/${index}` }));
		const id = await trigger(main, 'c_products01', inputs);
		main.advance(30);
		const rows = main.job(id)?.rows;
		const asJson = await dataset(main, id, 'json');
		expect(asJson.text).toBe(JSON.stringify(rows));
		expect(asJson.headers.get('content-length')).toBe(String(Buffer.byteLength(asJson.text)));
		const asNdjson = await dataset(main, id);
		expect(asNdjson.text).toBe(rows?.map((row) => JSON.stringify(row) + '\n').join(''));
		expect(asNdjson.headers.get('content-length')).toBe(String(Buffer.byteLength(asNdjson.text)));
	});

	test('rows are deterministic for the same input', async () => {
		const [a, b] = await Promise.all([trigger(main, 'c_products01', [{ url: PRODUCT }]), trigger(main, 'c_products01', [{ url: PRODUCT }])]);
		main.advance(30);
		expect((await dataset(main, a, 'json')).json()).toEqual((await dataset(main, b, 'json')).json());
	});

	test('search collector: two rows per input', async () => {
		const id = await trigger(main, 'c_search02', [{ keyword: 'shoes', country: 'US' }, { keyword: 'hats', country: 'FR' }]);
		main.advance(30);
		const rows = (await dataset(main, id, 'json')).json<Rows>();
		expect(rows.map((row) => [row.keyword, row.rank])).toEqual([['shoes', 1], ['shoes', 2], ['hats', 1], ['hats', 2]]);
	});

	test('404 for an unknown id and for an expired snapshot', async () => {
		expect((await dataset(main, 'j_doesnotexist')).json()).toEqual({ error: 'Snapshot does not exist or has expired' });
		const id = await trigger(main, 'c_products01', [{ url: PRODUCT }]);
		main.advance(30);
		main.expire(id);
		const expired = await dataset(main, id, 'json');
		expect(expired.status).toBe(404);
		expect((await call(main, 'GET', `/dca/log/${id}`)).status).toBe(404);
	});

	test('c_expiring08 snapshots expire 60 emulated seconds after finishing', async () => {
		const id = await trigger(main, 'c_expiring08', [{ url: PRODUCT }]);
		main.advance(10);
		expect((await dataset(main, id, 'json')).status).toBe(200);
		main.advance(61);
		expect((await dataset(main, id, 'json')).status).toBe(404);
	});

	test('c_ndjson06 answers NDJSON even with format=json', async () => {
		const id = await trigger(main, 'c_ndjson06', [{ url: PRODUCT }, { url: `${PRODUCT}-2` }]);
		main.advance(10);
		const result = await dataset(main, id, 'json');
		expect(result.headers.get('content-type')).toContain('application/x-ndjson');
		expect(result.text.trim().split('\n')).toHaveLength(2);
	});

	test('c_empty13 finishes with no rows: [] as JSON, an empty NDJSON body', async () => {
		const id = await trigger(main, 'c_empty13', [{ url: PRODUCT }]);
		main.advance(10);
		expect((await dataset(main, id, 'json')).text).toBe('[]');
		const ndjson = await dataset(main, id);
		expect([ndjson.status, ndjson.text]).toEqual([200, '']);
	});

	test('c_onlyok14 leaves failed inputs out of the dataset', async () => {
		const id = await trigger(main, 'c_onlyok14', [{ url: PRODUCT }, { url: 'https://x/404' }]);
		main.advance(10);
		expect((await dataset(main, id, 'json')).json<Rows>()).toHaveLength(1);
	});

	test('c_quirky10 answers 200 with a status object while pending', async () => {
		const id = await trigger(main, 'c_quirky10', [{ url: PRODUCT }]);
		const result = await dataset(main, id, 'json');
		expect(result.status).toBe(200);
		expect(result.json()).toMatchObject({ status: 'collecting', message: expect.stringMatching(/try again in \d+s/) });
	});

	test('c_stuck05 never finishes and flips its status word; a deadline ends it with deadline_timeout rows', async () => {
		const stuck = await trigger(main, 'c_stuck05', [{ url: PRODUCT }]);
		main.advance(100_000);
		const words = [];
		for (let poll = 0; poll < 3; poll++) {
			const result = await dataset(main, stuck, 'json');
			expect(result.status).toBe(202);
			words.push(result.json<{ status: string }>().status);
		}
		expect(words).toEqual(['building', 'collecting', 'building']);

		const limited = await trigger(main, 'c_stuck05', [{ url: PRODUCT }, { url: `${PRODUCT}-2` }], { deadline: '30s' });
		main.advance(31);
		const rows = (await dataset(main, limited, 'json')).json<Rows>();
		expect(rows.map((row) => row.error_code)).toEqual(['deadline_timeout', 'deadline_timeout']);
		expect((await call(main, 'GET', `/dca/log/${limited}`)).json()).toMatchObject({ status: 'done', fails: 2 });
	});

	test('c_failing07: log says failed, dataset is [], hp_errors holds the detail', async () => {
		const id = await trigger(main, 'c_failing07', [{ url: PRODUCT }]);
		main.advance(20);
		expect((await call(main, 'GET', `/dca/log/${id}`)).json()).toMatchObject({ status: 'failed', success: 0, fails: 1 });
		expect((await dataset(main, id, 'json')).text).toBe('[]');
		const errors = (await call(main, 'GET', `/dca/jobs/${id}/hp_errors`)).json<{ errors: Rows }>().errors;
		expect(errors).toEqual([{ url: PRODUCT, error: expect.any(String), consumer: expect.any(String) }]);
	});

	test('c_flaky09: each job gets two 503s with Retry-After before normal answers', async () => {
		const id = await trigger(main, 'c_flaky09', [{ url: PRODUCT }]);
		main.advance(10);
		const statuses = [];
		for (let poll = 0; poll < 3; poll++) statuses.push((await dataset(main, id, 'json')).status);
		expect(statuses).toEqual([503, 503, 200]);
		const other = await trigger(main, 'c_flaky09', [{ url: PRODUCT }]);
		const firstPoll = await dataset(main, other, 'json');
		expect([firstPoll.status, firstPoll.headers.get('retry-after')]).toEqual([503, '1']);
	});
});

describe('fault injection', () => {
	const finishedJob = async (): Promise<string> => {
		const id = await trigger(main, 'c_products01', [{ url: PRODUCT }, { url: `${PRODUCT}-2` }]);
		main.finish(id);
		return id;
	};

	test('status: answers the given status and headers instead, `times` times', async () => {
		main.injectFault({ method: 'POST', path: '/dca/trigger', kind: 'status', status: 429, headers: { 'Retry-After': '2' }, times: 2 });
		const answers = [];
		for (let attempt = 0; attempt < 3; attempt++) {
			const result = await call(main, 'POST', '/dca/trigger', { query: { collector: 'c_products01' }, body: [{ url: PRODUCT }] });
			answers.push([result.status, result.headers.get('retry-after')]);
		}
		expect(answers).toEqual([[429, '2'], [429, '2'], [200, null]]);
		expect(main.requests.at(-2)).toMatchObject({ status: 429, fault: 'status' });
	});

	test('drop: no answer and no job', async () => {
		const jobsBefore = main.jobs.length;
		main.injectFault({ path: '/dca/trigger', kind: 'drop' });
		await expect(call(main, 'POST', '/dca/trigger', { query: { collector: 'c_products01' }, body: [{ url: PRODUCT }] })).rejects.toThrow();
		expect(main.jobs).toHaveLength(jobsBefore);
		expect(main.requests.at(-1)).toMatchObject({ path: '/dca/trigger', status: null, fault: 'drop' });
	});

	test('drop after: the job is created and recorded, but the answer is lost', async () => {
		const jobsBefore = main.jobs.length;
		main.injectFault({ path: '/dca/trigger', kind: 'drop', after: true });
		await expect(call(main, 'POST', '/dca/trigger', { query: { collector: 'c_products01' }, body: [{ url: 'https://lost.example/a' }] })).rejects.toThrow();
		expect(main.jobs).toHaveLength(jobsBefore + 1);
		expect(main.jobs.at(-1)?.inputs).toEqual([{ url: 'https://lost.example/a' }]);
		expect(main.requests.at(-1)).toMatchObject({ status: null, fault: 'drop', body: [{ url: 'https://lost.example/a' }] });
	});

	test('delay: answers late', async () => {
		main.injectFault({ path: '/dca/collectors_list', kind: 'delay', ms: 60 });
		const started = Date.now();
		expect((await call(main, 'GET', '/dca/collectors_list')).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(55);
	});

	test('hang: never answers (the client times out)', async () => {
		main.injectFault({ path: '/dca/collectors_list', kind: 'hang' });
		await expect(call(main, 'GET', '/dca/collectors_list', { signal: AbortSignal.timeout(80) })).rejects.toThrow();
		expect(main.requests.at(-1)).toMatchObject({ status: null, fault: 'hang' });
		expect((await call(main, 'GET', '/dca/collectors_list')).status).toBe(200);
	});

	test('malformed: 200 with the given raw body', async () => {
		main.injectFault({ path: '/dca/dataset', kind: 'malformed', body: '[{"title": "tru' });
		const result = await dataset(main, await finishedJob(), 'json');
		expect([result.status, result.text]).toEqual([200, '[{"title": "tru']);
	});

	test('tornNdjson: cuts the last line of a ready dataset, and waits while the job is pending', async () => {
		const pending = await trigger(main, 'c_products01', [{ url: PRODUCT }]);
		main.injectFault({ path: '/dca/dataset', kind: 'tornNdjson' });
		expect((await dataset(main, pending, 'json')).status).toBe(202);
		const result = await dataset(main, await finishedJob(), 'json');
		const lines = result.text.split('\n');
		expect(lines).toHaveLength(2);
		expect(() => JSON.parse(lines[0])).not.toThrow();
		expect(() => JSON.parse(lines[1])).toThrow();
	});

	test('statusObject: 200 {"status":"building"} even when ready', async () => {
		main.injectFault({ path: '/dca/dataset', kind: 'statusObject' });
		const result = await dataset(main, await finishedJob(), 'json');
		expect([result.status, result.json()]).toEqual([200, { status: 'building' }]);
	});

	test('huge: a dataset of at least the given size', async () => {
		main.injectFault({ path: '/dca/dataset', kind: 'huge', bytes: 200_000 });
		const result = await dataset(main, await finishedJob(), 'json');
		expect(result.text.length).toBeGreaterThanOrEqual(200_000);
		expect(Array.isArray(result.json())).toBe(true);
	});

	test('matching by collector and by RegExp path; clearFaults removes pending faults', async () => {
		const products = await finishedJob();
		const search = await trigger(main, 'c_search02', [{ keyword: 'a', country: 'US' }]);
		main.injectFault({ collector: 'c_search02', path: /^\/dca\/(dataset|log\/.*)$/, kind: 'status', status: 500, times: Infinity });
		expect((await dataset(main, products, 'json')).status).toBe(200);
		expect((await dataset(main, search, 'json')).status).toBe(500);
		expect((await call(main, 'GET', `/dca/log/${search}`)).status).toBe(500);
		main.clearFaults();
		expect((await dataset(main, search, 'json')).status).toBe(202);
	});
});

describe('job management', () => {
	test('/dca/log reports progress, then the finished job', async () => {
		const id = await trigger(main, 'c_products01', [{ url: PRODUCT }, { url: PRODUCT }, { url: 'https://x/404' }, { url: `${PRODUCT}-4` }]);
		const building = (await call(main, 'GET', `/dca/log/${id}`)).json();
		expect(building).toMatchObject({ id, status: 'building', collector: 'c_products01', inputs: 4, dup_inputs: 1, started: null, finished: null });
		expect(main.job(id)).toMatchObject({ status: 'building', started: null, finished: null });
		main.advance(11); // 1 s queue + half of the 20 s run
		expect((await call(main, 'GET', `/dca/log/${id}`)).json()).toMatchObject({ status: 'running', navigations: 2, pages_left: 2 });
		main.advance(20);
		const done = (await call(main, 'GET', `/dca/log/${id}`)).json<Record<string, unknown>>();
		expect(done).toMatchObject({ status: 'done', lines: 3, fails: 1, success: 3, success_rate: 0.75, pages_left: 0, job_time: 20000, queue_time: 1000 });
		expect(Object.keys(done)).toEqual(
			expect.arrayContaining(['template', 'created', 'started', 'finished', 'trigger', 'pages', 'success_rate', 'job_time', 'queue_time']),
		);
		expect((await call(main, 'GET', '/dca/log/j_unknown')).status).toBe(404);
	});

	test('cancel: text/plain OK, unfinished inputs become aborted_page rows; a finished job cannot be cancelled', async () => {
		const inputs = [1, 2, 3, 4].map((n) => ({ url: `${PRODUCT}-${n}` }));
		const id = await trigger(main, 'c_products01', inputs);
		main.advance(11);
		const cancel = await call(main, 'POST', `/dca/jobs/${id}/cancel`);
		expect([cancel.status, cancel.headers.get('content-type'), cancel.text]).toEqual([200, 'text/plain; charset=utf-8', 'OK']);
		const rows = (await dataset(main, id, 'json')).json<Rows>();
		expect(rows.map((row) => row.error_code ?? 'data')).toEqual(['data', 'data', 'aborted_page', 'aborted_page']);
		expect((await call(main, 'GET', `/dca/log/${id}`)).json()).toMatchObject({ status: 'cancelled' });
		const again = await call(main, 'POST', `/dca/jobs/${id}/cancel`);
		expect(again.status).toBe(400);
		expect(again.text).toContain('cannot be cancelled');
		expect((await call(main, 'POST', '/dca/jobs/j_unknown/cancel')).status).toBe(404);
	});

	test('pause holds the job; resume lets it finish', async () => {
		const id = await trigger(main, 'c_products01', [{ url: PRODUCT }]);
		expect((await call(main, 'POST', `/dca/jobs/${id}/pause`)).text).toBe('OK');
		main.advance(1000);
		expect((await call(main, 'GET', `/dca/log/${id}`)).json()).toMatchObject({ status: 'paused' });
		expect((await dataset(main, id, 'json')).status).toBe(202);
		expect((await call(main, 'POST', `/dca/jobs/${id}/resume`)).text).toBe('OK');
		main.advance(25);
		expect((await dataset(main, id, 'json')).status).toBe(200);
	});

	test('rerun returns a new collection_id; failed_only reruns only failed inputs', async () => {
		const inputs = [{ url: PRODUCT }, { url: 'https://x/404' }];
		const id = await trigger(main, 'c_products01', inputs);
		main.advance(30);
		const full = (await call(main, 'POST', `/dca/jobs/${id}/rerun`)).json<{ collection_id: string; start_eta: string }>();
		expect(full.collection_id).not.toBe(id);
		expect(main.job(full.collection_id)).toMatchObject({ inputs, rerunOf: id });
		const failed = (await call(main, 'POST', `/dca/jobs/${id}/rerun`, { body: { failed_only: 1 } })).json<{ collection_id: string }>();
		expect(main.job(failed.collection_id)?.inputs).toEqual([{ url: 'https://x/404' }]);
		expect((await call(main, 'POST', '/dca/jobs/j_unknown/rerun')).status).toBe(404);
	});

	test('hp_errors: {errors:[…]} for failed inputs; 400 / 404 as text', async () => {
		const id = await trigger(main, 'c_products01', [{ url: PRODUCT }, { url: 'https://x/blocked' }]);
		main.advance(30);
		expect((await call(main, 'GET', `/dca/jobs/${id}/hp_errors`)).json()).toEqual({ errors: [{ url: 'https://x/blocked', error: 'blocked', consumer: 'scraper' }] });
		const invalid = await call(main, 'GET', '/dca/jobs/not%20an%20id/hp_errors');
		expect([invalid.status, invalid.text]).toEqual([400, 'Invalid job ID supplied']);
		const unknown = await call(main, 'GET', '/dca/jobs/j_unknown/hp_errors');
		expect([unknown.status, unknown.text]).toEqual([404, 'Job not found']);
	});

	test('queue_next=0 queues behind the collector\'s running job', async () => {
		const first = await trigger(main, 'c_search02', [{ keyword: 'a', country: 'US' }]);
		const second = await trigger(main, 'c_search02', [{ keyword: 'b', country: 'US' }], { queue_next: 0 });
		main.advance(20);
		expect(main.job(first)?.status).toBe('done');
		expect(main.job(second)?.status).toBe('running');
		expect((await call(main, 'GET', `/dca/log/${second}`)).json<{ queue_time: number }>().queue_time).toBeGreaterThan(15_000);
	});

	test('collectors_list: search, paging and the output schema', async () => {
		const all = (await call(main, 'GET', '/dca/collectors_list')).json<{ total: number; offset: number; limit: number; data: Rows }>();
		expect(all.total).toBe(all.data.length);
		expect(all.data[0]).toMatchObject({
			id: 'c_products01',
			name: 'Products',
			active: true,
			last_run: expect.any(String),
			deliver: { type: 'api_pull' },
			output_schema: { type: 'object', fields: { title: { type: 'text', active: true }, price: { type: 'price', active: true } } },
		});
		expect(all.data.find((collector) => collector.id === 'c_legacy11')).toMatchObject({ active: false, output_schema: null });

		const page = (await call(main, 'GET', '/dca/collectors_list', { query: { offset: 2, limit: 3 } })).json<{ offset: number; limit: number; data: Rows }>();
		expect([page.offset, page.limit, page.data.map((collector) => collector.id)]).toEqual([2, 3, all.data.slice(2, 5).map((collector) => collector.id)]);
		const search = (await call(main, 'GET', '/dca/collectors_list', { query: { search: 'SEARCH' } })).json<{ total: number; data: Rows }>();
		expect(search.data.map((collector) => collector.id)).toEqual(['c_search02']);
	});

	test('collector/jobs: dates and collector required (400 text); paged, newest first, "canceled" spelling', async () => {
		const dates = { from_date: '2000-01-01', to_date: '2999-12-31' };
		const noDates = await call(main, 'GET', '/dca/collector/jobs', { query: { collector: 'c_empty13' } });
		expect([noDates.status, noDates.headers.get('content-type')]).toEqual([400, 'text/plain; charset=utf-8']);
		const noCollector = await call(main, 'GET', '/dca/collector/jobs', { query: dates });
		expect([noCollector.status, noCollector.text]).toEqual([400, 'Missing collector parameter']);

		const older = await trigger(main, 'c_empty13', [{ url: PRODUCT }]);
		main.advance(1);
		const newer = await trigger(main, 'c_empty13', [{ url: PRODUCT }]);
		await call(main, 'POST', `/dca/jobs/${newer}/cancel`);
		const listed = await call(main, 'GET', '/dca/collector/jobs', { query: { ...dates, collector: 'c_empty13', limit: 1 } });
		const list = listed.json<{ total: number; limit: number; data: Rows }>();
		expect(list.total).toBeGreaterThanOrEqual(2);
		expect(list.data).toHaveLength(1);
		expect(list.data[0]).toMatchObject({ id: newer, status: 'canceled', inputs: 1, trigger: { type: 'API' }, expired: false });
		const ascending = (await call(main, 'GET', '/dca/collector/jobs', { query: { ...dates, collector: 'c_empty13', sort_asc: 1 } })).json<{ data: Rows }>();
		expect(ascending.data.findIndex((job) => job.id === older)).toBeLessThan(ascending.data.findIndex((job) => job.id === newer));
	});
});

describe('real-time endpoints (100× time)', () => {
	const immediate = async (collector: string, body: unknown) => call(fast, 'POST', '/dca/trigger_immediate', { query: { collector }, body });

	test('trigger_immediate → 202 response_id; get_result 202 {pending:true}, then 200 rows after a long-poll', async () => {
		const triggered = await immediate('c_realtime03', { url: PRODUCT });
		expect(triggered.status).toBe(202);
		const { response_id } = triggered.json<{ response_id: string }>();
		expect(response_id).toMatch(/^d/);
		const notYet = await call(fast, 'GET', '/dca/get_result', { query: { response_id } });
		expect([notYet.status, notYet.json()]).toEqual([202, { pending: true }]);
		// Held until ready (3 emulated s), then answered 200 without waiting out the 25 s.
		const result = await call(fast, 'GET', '/dca/get_result', { query: { response_id, timeout: '25s' } });
		expect(result.status).toBe(200);
		expect(result.json<Rows>()).toEqual([expect.objectContaining({ title: 'Echo Portable Speaker', input: { url: PRODUCT } })]);
	});

	test('get_result holds for the timeout and answers 202 when still not ready; 404 for unknown ids', async () => {
		const { response_id } = (await immediate('c_slow04', { url: PRODUCT })).json<{ response_id: string }>();
		const started = Date.now();
		expect((await call(fast, 'GET', '/dca/get_result', { query: { response_id, timeout: '25s' } })).status).toBe(202);
		expect(Date.now() - started).toBeGreaterThanOrEqual(240); // 25 emulated s at 100×
		expect((await call(fast, 'GET', '/dca/get_result', { query: { response_id: 'dnope' } })).status).toBe(404);
	});

	test('legacy scrapers answer a single object; the real-time page cap gives an error row', async () => {
		const legacy = (await immediate('c_legacy11', { url: PRODUCT })).json<{ response_id: string }>();
		const single = await call(fast, 'GET', '/dca/get_result', { query: { response_id: legacy.response_id, timeout: '25s' } });
		expect(single.json()).toEqual({ line_1: expect.any(String), input: { url: PRODUCT } });

		const deep = await call(fast, 'POST', '/dca/crawl', { query: { collector: 'c_deep12', timeout: '50s' }, body: { url: PRODUCT } });
		expect(deep.json()).toEqual([{ input: { url: PRODUCT }, error: 'Request generated 501 pages and exceeded realtime job limit of 51 pages' }]);
	});

	test('trigger_immediate wants one object matching the schema', async () => {
		expect((await immediate('c_realtime03', [{ url: PRODUCT }])).status).toBe(400);
		expect((await immediate('c_realtime03', { link: PRODUCT })).status).toBe(422);
		expect((await immediate('c_nope', { url: PRODUCT })).status).toBe(404);
	});

	test('crawl → 200 rows when fast enough, else 202 crawl_results_timeout with a response_id', async () => {
		const quick = await call(fast, 'POST', '/dca/crawl', { query: { collector: 'c_realtime03', timeout: '25s' }, body: { url: PRODUCT } });
		expect(quick.status).toBe(200);
		expect(quick.json<Rows>()[0]).toMatchObject({ input: { url: PRODUCT } });

		const slow = await call(fast, 'POST', '/dca/crawl', { query: { collector: 'c_slow04', timeout: '25s' }, body: { url: PRODUCT } });
		expect(slow.status).toBe(202);
		const body = slow.json<{ error: string; message: string; response_id: string }>();
		expect(body).toEqual({ error: 'crawl_results_timeout', message: expect.stringContaining('/dca/get_result'), response_id: expect.stringMatching(/^d/) });
		expect(fast.responses.find((response) => response.id === body.response_id)).toMatchObject({ via: 'crawl', ready: false });
		expect((await call(fast, 'POST', '/dca/crawl', { query: { collector: 'c_realtime03' }, body: { url: PRODUCT } })).status).toBe(400);
	});
});

describe('push delivery', () => {
	test('deliver POSTs the gzipped rows, then notify POSTs {collection_id, snapshot_id, status}', async () => {
		const receiver = await startReceiver();
		try {
			const id = await trigger(main, 'c_products01', [{ url: PRODUCT }], {
				notify: JSON.stringify({ type: 'webhook', endpoint: `${receiver.url}/notify` }),
				deliver: JSON.stringify({ type: 'webhook', endpoint: `${receiver.url}/deliver` }),
			});
			expect(receiver.received).toEqual([]);
			main.advance(30);
			await main.deliveriesSettled();

			expect(receiver.received.map((hook) => hook.path)).toEqual(['/deliver', '/notify']);
			const [delivered, notified] = receiver.received;
			expect(delivered.headers['content-encoding']).toBe('gzip');
			expect(JSON.parse(delivered.body)).toEqual(main.job(id)?.rows);
			expect(JSON.parse(notified.body)).toEqual({ collection_id: id, snapshot_id: id, status: 'done' });
			expect(main.deliveries.filter((record) => record.snapshotId === id)).toMatchObject([
				{ kind: 'deliver', outcome: 'sent', status: 200 },
				{ kind: 'notify', outcome: 'sent', status: 200 },
			]);
		} finally {
			await receiver.close();
		}
	});

	test('non-loopback endpoints are refused and unreachable ones fail, without breaking anything', async () => {
		const receiver = await startReceiver();
		const deadUrl = receiver.url;
		await receiver.close(); // nothing listens there any more
		const refused = await trigger(main, 'c_products01', [{ url: PRODUCT }], { notify: JSON.stringify({ type: 'webhook', endpoint: 'https://hooks.example.com/x' }) });
		const failed = await trigger(main, 'c_products01', [{ url: PRODUCT }], { notify: JSON.stringify({ type: 'webhook', endpoint: `${deadUrl}/x` }) });
		main.advance(30);
		await main.deliveriesSettled();
		expect(main.deliveries.find((record) => record.snapshotId === refused)).toMatchObject({ outcome: 'refused' });
		expect(main.deliveries.find((record) => record.snapshotId === failed)).toMatchObject({ outcome: 'failed', error: expect.any(String) });
		expect((await dataset(main, failed, 'json')).status).toBe(200);
	});
});

describe('configurable behaviour', () => {
	let custom: Emulator;
	beforeAll(async () => {
		custom = await startEmulator({
			token: 'custom-token',
			timeScale: 1,
			expiredResponse: 'emptyArray',
			datasetDefaultFormat: 'json',
			triggerImmediateStatus: 200,
			triggerImmediateLimitPerMinute: 2,
			logKeys: 'documented',
		});
	});
	afterAll(() => custom.close());

	test('expired → 200 [], JSON by default, documented /dca/log key case', async () => {
		const id = await trigger(custom, 'c_products01', [{ url: PRODUCT }]);
		custom.advance(30);
		const rows = await dataset(custom, id);
		expect(rows.headers.get('content-type')).toContain('application/json');
		expect(rows.json<Rows>()).toHaveLength(1);
		expect((await call(custom, 'GET', `/dca/log/${id}`)).json()).toMatchObject({ Id: id, Status: 'done', Success_rate: 1, dup_inputs: 0, created: expect.any(String) });
		custom.expire(id);
		expect((await dataset(custom, id)).text).toBe('[]');
	});

	test('trigger_immediate answers 200, and 429 beyond the per-minute limit', async () => {
		const statuses = [];
		for (let call_ = 0; call_ < 3; call_++) {
			statuses.push((await call(custom, 'POST', '/dca/trigger_immediate', { query: { collector: 'c_realtime03' }, body: { url: PRODUCT } })).status);
		}
		expect(statuses).toEqual([200, 200, 429]);
		custom.advance(61);
		expect((await call(custom, 'POST', '/dca/trigger_immediate', { query: { collector: 'c_realtime03' }, body: { url: PRODUCT } })).status).toBe(200);
	});

	test('the request log has method, path, query, body and status', async () => {
		const from = custom.requests.length;
		const logs = custom.count('GET', /^\/dca\/log\//);
		const id = await trigger(custom, 'c_products01', [{ url: PRODUCT }]);
		await call(custom, 'GET', `/dca/log/${id}`);
		expect(custom.count('GET', /^\/dca\/log\//) - logs).toBe(1);
		expect(custom.requests.slice(from)).toEqual([
			{ method: 'POST', path: '/dca/trigger', query: { collector: 'c_products01', queue_next: '1' }, body: [{ url: PRODUCT }], status: 200, time: expect.any(String) },
			{ method: 'GET', path: `/dca/log/${id}`, query: {}, body: undefined, status: 200, time: expect.any(String) },
		]);
	});
});

describe('polling signals: quickstart timings, pending forms, start_eta, log progress, job history', () => {
	let quiet: Emulator;
	beforeAll(async () => {
		quiet = await startEmulator({ timeScale: 1, pendingHint: false, logProgress: 'missing' });
	});
	afterAll(() => quiet.close());

	test.each([
		[1, 30],
		[10, 90],
		[11, 120],
		[100, 300],
	])('quickstart collector: %p inputs are ready after %p s, its pending answer has no hint', async (count, seconds) => {
		const inputs = Array.from({ length: count }, (_, n) => ({ url: `${PRODUCT}-${n}` }));
		const id = await trigger(main, 'c_quickstart15', inputs);
		const pending = await dataset(main, id, 'json');
		expect([pending.status, pending.json()]).toEqual([202, { status: 'building' }]);
		main.advance(seconds - 1);
		expect((await dataset(main, id, 'json')).status).toBe(202);
		main.advance(1);
		expect((await dataset(main, id, 'json')).status).toBe(200);
		const job = main.job(id)!;
		expect(Date.parse(String(job.finished)) - Date.parse(String(job.created))).toBeCloseTo(seconds * 1000, 5);
	});

	test('pending forms: 202 with and without the hint, 200 {"status":…} with and without it', async () => {
		const hinted = await trigger(main, 'c_products01', [{ url: PRODUCT }]);
		expect((await dataset(main, hinted, 'json')).json()).toEqual({ status: 'building', message: expect.stringMatching(/try again in \d+s$/) });
		const bare = await trigger(quiet, 'c_products01', [{ url: PRODUCT }]);
		const bareAnswer = await dataset(quiet, bare, 'json');
		expect([bareAnswer.status, bareAnswer.json()]).toEqual([202, { status: 'building' }]);
		const quirky = await trigger(quiet, 'c_quirky10', [{ url: PRODUCT }]);
		const quirkyAnswer = await dataset(quiet, quirky, 'json');
		expect([quirkyAnswer.status, quirkyAnswer.json()]).toEqual([200, { status: 'collecting' }]);
		const quirkyHinted = await trigger(main, 'c_quirky10', [{ url: PRODUCT }]);
		expect((await dataset(main, quirkyHinted, 'json')).json()).toMatchObject({ status: 'collecting', message: expect.any(String) });
	});

	test('start_eta is when the job leaves the queue: a second after the trigger, later behind a running job', async () => {
		const first = await call(main, 'POST', '/dca/trigger', { query: { collector: 'c_slow04', queue: 'eta-test' }, body: [{ url: PRODUCT }] });
		const { collection_id: firstId, start_eta: firstEta } = first.json<{ collection_id: string; start_eta: string }>();
		// On the wall clock, like Bright Data's: about a second from now.
		expect(Math.abs(Date.parse(firstEta) - (Date.now() + 1000))).toBeLessThan(500);
		const second = await call(main, 'POST', '/dca/trigger', { query: { collector: 'c_slow04', queue: 'eta-test' }, body: [{ url: PRODUCT }] });
		const { start_eta: secondEta } = second.json<{ start_eta: string }>();
		expect(Date.parse(secondEta) - Date.parse(firstEta)).toBeGreaterThanOrEqual(660_000 - 1000);
		main.finish(firstId);
	});

	test('start_eta follows the wall clock at any time scale: a second is 10 ms at time scale 100', async () => {
		fast.advance(3600); // an hour of emulated uptime must not move it
		const { start_eta: eta } = (await call(fast, 'POST', '/dca/trigger', { query: { collector: 'c_slow04' }, body: [{ url: PRODUCT }] })).json<{ start_eta: string }>();
		expect(Math.abs(Date.parse(eta) - (Date.now() + 10))).toBeLessThan(500);
	});

	test('/dca/log progress moves page by page: pages_left falls, lines and job_time grow', async () => {
		const id = await trigger(main, 'c_quickstart15', [{ url: PRODUCT }, { url: `${PRODUCT}-2` }]);
		const log = async () => (await call(main, 'GET', `/dca/log/${id}`)).json<Record<string, number | string>>();
		expect(await log()).toMatchObject({ status: 'building', pages: 40, pages_left: 40, job_time: 0 });
		main.advance(10);
		const early = await log();
		main.advance(20);
		const later = await log();
		// main runs at real speed: a few real ms pass between the calls.
		expect(early).toMatchObject({ status: 'running', pages: 40, job_time: expect.any(Number) });
		expect(Number(early.job_time)).toBeGreaterThanOrEqual(9000);
		expect(Number(later.job_time) - Number(early.job_time)).toBeGreaterThanOrEqual(20_000);
		expect(later).toMatchObject({ status: 'running', lines: 1 });
		expect(Number(later.pages_left)).toBeLessThan(Number(early.pages_left));
		expect(Number(early.pages_left)).toBeLessThan(40);
		main.finish(id);
	});

	test('/dca/log progress can be missing, or inconsistent (counters go back, pages_left above pages)', async () => {
		const missing = await trigger(quiet, 'c_products01', [{ url: PRODUCT }]);
		quiet.advance(5);
		const missingLog = (await call(quiet, 'GET', `/dca/log/${missing}`)).json<Record<string, unknown>>();
		expect(missingLog).toMatchObject({ id: missing, status: 'running' });
		for (const field of ['pages', 'pages_left', 'lines', 'job_time', 'inputs']) expect(missingLog).not.toHaveProperty(field);

		const odd = await startEmulator({ timeScale: 1, logProgress: 'inconsistent' });
		try {
			const id = await trigger(odd, 'c_quickstart15', [{ url: PRODUCT }]);
			odd.advance(20);
			const first = (await call(odd, 'GET', `/dca/log/${id}`)).json<Record<string, number>>();
			const second = (await call(odd, 'GET', `/dca/log/${id}`)).json<Record<string, number>>();
			expect(second.job_time).toBeLessThan(first.job_time);
			expect(second.pages_left).toBeGreaterThan(second.pages);
		} finally {
			await odd.close();
		}
	});

	test('/dca/collector/jobs lists the collector\'s history of earlier jobs with their durations', async () => {
		const result = await call(quiet, 'GET', '/dca/collector/jobs', { query: { from_date: '2000-01-01', to_date: '2999-12-31', collector: 'c_quickstart15' } });
		const { data } = result.json<{ data: Array<{ inputs: number; started: string; finished: string; status: string }> }>();
		const past = data.filter(({ status }) => status === 'done');
		expect(past.map(({ inputs }) => inputs).sort((a, b) => a - b)).toEqual([1, 5, 10, 25, 100]);
		const seconds = (job: { started: string; finished: string }) => (Date.parse(job.finished) - Date.parse(job.started)) / 1000 + 1;
		expect(seconds(past.find(({ inputs }) => inputs === 10)!)).toBeCloseTo(90, 5);
		expect(seconds(past.find(({ inputs }) => inputs === 100)!)).toBeCloseTo(300, 5);
	});
});
