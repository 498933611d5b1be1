/**
 * Bad-input matrix: every operation and option with missing, blank, malformed, out-of-range or
 * odd values. Each must fail with a clear message that names the item, before any request
 * (the emulator records none), and "On Error: Continue" must turn it into an error item.
 * Odd characters that are allowed must be URL-encoded: they can never change the request path
 * or add query parameters (checked on the path and query the emulator recorded).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BrightDataScraperStudio } from '../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node';
import { inputsPerJob } from '../../nodes/BrightDataScraperStudio/options/trigger';
import { useEmulator } from '../harness/emulator';
import { collectorId } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';
import { mark } from './helpers';

const DEFAULT_INPUTS_PER_JOB = inputsPerJob.default;

const emulator = useEmulator();
const api = () => emulator.current();
const run = (parameters: INodeParameters, items: IDataObject[], extra: { continueOnFail?: boolean } = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: api().token, ...extra });

/** The value under test comes from the item, as expressions do at run time (the editor cannot check them). */
const V = '={{ $json.v }}';
const URL_A = 'https://shop.example/product/a';
const itemWith = (value: unknown): IDataObject => (value === undefined ? { url: URL_A } : { url: URL_A, v: value as never });

type Op = 'trigger' | 'triggerAndWait' | 'runRealtime' | 'crawl' | 'getDataset' | 'get' | 'getMany' | 'cancel' | 'rerun' | 'getErrors';
const BATCH: Op[] = ['trigger', 'triggerAndWait'];
const STARTS: Op[] = [...BATCH, 'runRealtime', 'crawl'];
const BY_SNAPSHOT: Op[] = ['getDataset', 'get', 'cancel', 'rerun', 'getErrors'];

/** Valid parameters for each operation; a case overrides one of them. */
function parametersFor(op: Op, override: INodeParameters): INodeParameters {
	const realtime = op === 'runRealtime' || op === 'crawl';
	const starts = { collector: collectorId(realtime ? 'c_realtime03' : 'c_products01'), fieldsToSend: 'selected', inputFields: 'url' };
	switch (op) {
		case 'trigger':
		case 'triggerAndWait':
		case 'runRealtime':
		case 'crawl':
			return { resource: 'collection', operation: op, ...starts, ...override };
		case 'getDataset':
			return { resource: 'collection', operation: op, snapshotId: 'j_unknown', ...override };
		case 'getMany':
			return { resource: 'job', operation: op, collector: collectorId('c_products01'), fromDate: '2020-01-01', toDate: '2099-12-31', ...override };
		default:
			return { resource: 'job', operation: op, snapshotId: 'j_unknown', ...override };
	}
}

interface Case {
	ops: Op[];
	/** What is wrong, for the test name. */
	what: string;
	override: INodeParameters;
	/** The incoming item (default: a url and `v` = the value). */
	item?: IDataObject;
	value?: unknown;
	message: RegExp;
}

const collectorCases = (ops: Op[]): Case[] =>
	(
		[
			['missing (expression → undefined)', undefined, /No collector ID given/],
			['blank', '', /No collector ID given/],
			['only spaces', '   ', /No collector ID given/],
			['a number', 42, /collector ID/],
			['wrongly prefixed (a snapshot ID)', 'j_abc123', /"j_abc123" is not a collector ID/],
			['upper-case prefix', 'C_abc123', /is not a collector ID/],
			['prefix only', 'c_', /is not a collector ID/],
			['a query-changing value', 'c_a&collector=c_b', /is not a collector ID/],
			['a path-changing value', 'c_a/../../dca/collectors_list', /is not a collector ID/],
			['an inner space', 'c_abc def', /is not a collector ID/],
			['a pasted control-panel URL', 'https://brightdata.com/cp/scrapers/c_abc', /is not a collector ID/],
		] as const
	).map(([what, value, message]) => ({ ops, what: `collector ${what}`, override: { collector: collectorId(V) }, value, message }));

const snapshotCases: Case[] = (
	[
		['missing (expression → undefined)', undefined, /No (snapshot|job) ID given/],
		['blank', '', /No (snapshot|job) ID given/],
		['only spaces', '  \t ', /No (snapshot|job) ID given/],
		['an object', { id: 'j_1' }, /(snapshot|job) ID/],
		// Wrong prefix: a collector ID pasted into the snapshot field (docs: do not hard-fail on *unknown* prefixes).
		['wrongly prefixed (a collector ID)', 'c_m9im5n7v82p2y35la', /collector ID|not a (snapshot|job) ID/],
		['a pasted URL', 'https://api.brightdata.com/dca/dataset?id=j_1', /not a (snapshot|job) ID/],
	] as const
).map(([what, value, message]) => ({ ops: BY_SNAPSHOT, what: `snapshot ID ${what}`, override: { snapshotId: V }, value, message }));

const inputCases: Case[] = (
	[
		['not JSON', '[{url:', /'Inputs' parameter is not valid JSON \[item 0\]/],
		['a plain word', 'abc', /'Inputs' parameter is not valid JSON \[item 0\]/],
		['an object, not an array (text)', '{"url":"x"}', /must be a JSON array/],
		['an object, not an array (expression)', { url: 'x' }, /must be a JSON array/],
		['an array of numbers', [1, 2], /Input 0 is not an object/],
		['an array with null', [{ url: URL_A }, null], /Input 1 is not an object/],
		['an array of arrays', [[]], /Input 0 is not an object/],
		['empty', [], /Inputs is an empty array/],
		['empty (text)', '[]', /Inputs is an empty array/],
		['undefined (expression)', undefined, /must be a JSON array/],
	] as const
).map(([what, value, message]) => ({ ops: STARTS, what: `inputs ${what}`, override: { inputSource: 'json', inputs: V }, value, message }));

const itemCases: Case[] = [
	{ ops: STARTS, what: 'an empty incoming item', override: { fieldsToSend: 'all' }, item: {}, message: /Item 0 is empty/ },
	{ ops: STARTS, what: 'no input fields selected', override: { inputFields: ' , ' }, item: { url: URL_A }, message: /No input fields selected/ },
	{ ops: STARTS, what: 'selected fields absent from the item', override: { inputFields: 'keyword' }, item: { url: URL_A }, message: /none of the fields keyword/ },
];

/** A number option checked against its range; `undefined` and `null` are expressions that resolved to nothing. */
const numberCases = (ops: Op[], name: string, label: string, values: unknown[], message = new RegExp(`${label} must be a number`)): Case[] =>
	values.map((value) => ({
		ops,
		what: `${label} = ${value === undefined ? 'undefined (expression)' : typeof value === 'number' ? String(value) : JSON.stringify(value)}`,
		override: name.startsWith('options.') ? { options: { [name.slice(8)]: V } } : { [name]: V },
		value,
		message,
	}));

const optionCases: Case[] = [
	...numberCases(['triggerAndWait'], 'options.pollInterval', 'Poll Interval', [0, -5, 3601, 'abc', undefined, null]),
	// NaN cannot travel in an item's JSON (it becomes null), so the expression makes it.
	{ ops: ['triggerAndWait'], what: 'Poll Interval = NaN', override: { options: { pollInterval: '={{ NaN }}' } }, message: /Poll Interval must be a number/ },
	...numberCases(['triggerAndWait'], 'options.timeout', 'Timeout', [0, -1, 86401, 'Infinity', 1e12, undefined, null]),
	...numberCases(BATCH, 'options.inputsPerJob', 'Inputs per Job', [0, -1, 0.5, 100001, undefined]),
	...numberCases(['triggerAndWait', 'getDataset'], 'options.rowLimit', 'Row Limit', [-1, 'ten']),
	...numberCases(['runRealtime', 'crawl'], 'options.concurrency', 'Concurrency', [0, 51, 'x', undefined]),
	...numberCases(['runRealtime', 'crawl'], 'options.timeout', 'Timeout per Input', [0, -1, 3601, undefined]),
	...numberCases(['crawl'], 'options.crawlTimeout', 'Bright Data Hold Time', [24, 51, undefined]),
	...numberCases(['getMany'], 'limit', 'Limit', [0, -1, 1.5, 'abc', undefined], /Limit must be a (whole )?number/),
	...['abc', '-5m', '1.5h', '5 m', '10'].map(
		(value): Case => ({ ops: BATCH, what: `deadline ${JSON.stringify(value)}`, override: { options: { deadline: V } }, value, message: /is not a duration/ }),
	),
	...(
		[
			['fromDate', 'From Date', 'yesterday'],
			['fromDate', 'From Date', undefined],
			['fromDate', 'From Date', ''],
			['toDate', 'To Date', '2026-13-01'],
		] as const
	).map(([name, label, value]): Case => ({ ops: ['getMany'], what: `${label} ${JSON.stringify(value) ?? 'undefined (expression)'}`, override: { [name]: V }, value, message: new RegExp(`${label} .* is not a date`) })),
];

const deliveryCases: Case[] = (
	[
		['notify webhook not http(s)', { notify: { type: 'webhook', endpoint: 'ftp://hook.example/x' } }, /Notify webhook URL must be an http\(s\) URL/],
		['notify email blank', { notify: { type: 'email', email: ' ' } }, /Notify email is required/],
		['deliver webhook javascript:', { deliver: { type: 'webhook', endpoint: 'javascript:alert(1)' } }, /Deliver webhook URL must be an http\(s\) URL/],
		['deliver s3 without bucket', { deliver: { type: 's3' } }, /Bucket is required/],
		['deliver s3 without its credential', { deliver: { type: 's3', bucket: 'b' } }, /needs a "Bright Data Scraper Studio: S3 Delivery API" credential/],
		['deliver sftp without its credential', { deliver: { type: 'sftp' } }, /needs a "Bright Data Scraper Studio: SFTP Delivery API" credential/],
		['deliver azure without its credential', { deliver: { type: 'azure', container: 'c' } }, /needs a "Bright Data Scraper Studio: Azure Delivery API" credential/],
		['deliver gcs without its credential', { deliver: { type: 'gcs', bucket: 'b' } }, /needs a "Bright Data Scraper Studio: GCS Delivery API" credential/],
	] as const
).map(([what, delivery, message]) => ({ ops: BATCH, what, override: { delivery: delivery as never }, item: { url: URL_A }, message }));

const CASES: Case[] = [
	...collectorCases(STARTS),
	...collectorCases(['getMany']),
	...snapshotCases,
	...inputCases,
	...itemCases,
	...optionCases,
	...deliveryCases,
];

const table: Array<[string, Op, Case]> = CASES.flatMap((c) => c.ops.map((op): [string, Op, Case] => [`${op}: ${c.what}`, op, c]));

describe('each bad value fails before any request, naming the item', () => {
	test.each(table)('%s', async (_name, op, c) => {
		const spent = mark(api());
		const item = c.item ?? itemWith(c.value);

		const stopped = await run(parametersFor(op, c.override), [item]);
		const continued = await run(parametersFor(op, c.override), [item], { continueOnFail: true });

		expect(stopped.status).toBe('error');
		expect(stopped.error?.message).toMatch(c.message);
		expect((stopped.error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(0);
		expect(continued.items).toEqual([{ json: expect.objectContaining({ error: expect.stringMatching(c.message) }), pairedItem: { item: 0 } }]);
		expect(spent().requests.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
	});
});

describe('a bad item among good ones: its index is named, and with Continue the others go on', () => {
	/** A job for the snapshot operations to work on; c_stuck05 never ends, so it can be cancelled. */
	const startJob = async (): Promise<string> => {
		const started = await run({ operation: 'trigger', collector: collectorId('c_stuck05') }, [{ url: URL_A }]);
		return String(started.items[0].json.snapshot_id);
	};

	test.each(STARTS)('%s: item 1 has a malformed collector', async (op) => {
		const items = [itemWith('c_products01'), itemWith('j_not_a_collector')];
		const good = op === 'runRealtime' || op === 'crawl' ? 'c_realtime03' : 'c_products01';
		items[0].v = good;
		const parameters = parametersFor(op, { collector: collectorId(V) });
		const spent = mark(api());

		const stopped = await run(parameters, items);
		expect((stopped.error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(1);
		// The inputs of every item are read before the first request, so nothing was sent.
		expect(spent().requests).toEqual([]);

		const continued = await run(parameters, items, { continueOnFail: true });
		const output = continued.outputOf(SCRAPER).flat();
		expect(output).toEqual(
			expect.arrayContaining([{ json: expect.objectContaining({ error: '"j_not_a_collector" is not a collector ID' }), pairedItem: { item: 1 } }]),
		);
		expect(output.some(({ json, pairedItem }) => !json.error && JSON.stringify(pairedItem).includes('"item":0'))).toBe(true);
		expect(JSON.stringify(spent().requests.map(({ query }) => query))).not.toContain('j_not_a_collector');
	});

	test.each(BY_SNAPSHOT)('%s: item 1 has no snapshot ID', async (op) => {
		const snapshotId = await startJob();
		const items = [itemWith(snapshotId), itemWith('  ')];
		const parameters = parametersFor(op, { snapshotId: V });

		const spent = mark(api());
		const continued = await run(parameters, items, { continueOnFail: true });
		const output = continued.outputOf(SCRAPER).flat();
		const missing = 'No snapshot ID given';
		expect(output).toEqual(expect.arrayContaining([{ json: expect.objectContaining({ error: missing }), pairedItem: { item: 1 } }]));
		// Item 0 went on (Get Errors of a running job has no items, so look at the request).
		expect(output.filter(({ json }) => json.error)).toHaveLength(1);
		expect(JSON.stringify(spent().requests.map(({ path, query }) => [path, query]))).toContain(snapshotId);

		const stopped = await run(parametersFor(op, { snapshotId: V }), [itemWith(await startJob()), itemWith('')]);
		expect((stopped.error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(1);
	});

	test('getMany: item 1 has a malformed From Date', async () => {
		const items = [itemWith('2020-01-01'), itemWith('last tuesday')];
		const continued = await run(parametersFor('getMany', { fromDate: V }), items, { continueOnFail: true });
		const output = continued.outputOf(SCRAPER).flat();
		expect(output).toEqual(expect.arrayContaining([{ json: expect.objectContaining({ error: expect.stringMatching(/From Date "last tuesday" is not a date/) }), pairedItem: { item: 1 } }]));
	});
});

describe('odd characters are URL-encoded: they never change the request path or query', () => {
	const ODD = ['j_1?x=1', 'j_1&id=j_2', 'j_1#frag', 'j_1/../../collectors_list', '..', '.', 'j_1%2F..%2F', 'j_1 x', 'j_ü✓', 'j_1\r\nX-Injected: 1'];
	const where: Record<string, (id: string) => { method: string; path: string; query: Record<string, string> }> = {
		getDataset: (id) => ({ method: 'GET', path: '/dca/dataset', query: { id, format: 'json' } }),
		get: (id) => ({ method: 'GET', path: `/dca/log/${encodeURIComponent(id)}`, query: {} }),
		cancel: (id) => ({ method: 'POST', path: `/dca/jobs/${encodeURIComponent(id)}/cancel`, query: {} }),
		rerun: (id) => ({ method: 'POST', path: `/dca/jobs/${encodeURIComponent(id)}/rerun`, query: {} }),
		getErrors: (id) => ({ method: 'GET', path: `/dca/jobs/${encodeURIComponent(id)}/hp_errors`, query: {} }),
	};
	const table = BY_SNAPSHOT.flatMap((op) => ODD.map((id): [Op, string] => [op, id]));

	test.each(table)('%s with snapshot ID %j: refused, or sent verbatim in its place', async (op, id) => {
		const spent = mark(api());
		const result = await run(parametersFor(op, { snapshotId: V }), [itemWith(id)], { continueOnFail: true });
		const requests = spent().requests.map(({ method, path, query }) => ({ method, path, query }));

		if (requests.length === 0) {
			// Refused before any request: an error item for item 0.
			expect(result.items).toEqual([{ json: expect.objectContaining({ error: expect.any(String) }), pairedItem: { item: 0 } }]);
		} else {
			const expected = where[op](id.trim());
			for (const request of requests) expect(request).toEqual(expected);
		}
	});

	test.each(['x&collector=c_evil&queue_next=0', 'a#b', 'a\nb', '%00%2F', '../..', 'ü ✓ "quoted"'])(
		'job and queue names %j travel as their own query values',
		async (name) => {
			const spent = mark(api());
			await run(parametersFor('trigger', { options: { jobName: V, queue: V } }), [itemWith(name)], { continueOnFail: true });
			const [trigger] = spent().requests;
			expect(trigger.path).toBe('/dca/trigger');
			expect(trigger.query).toEqual({ collector: 'c_products01', queue_next: '1', name: name.trim(), queue: name.trim() });
		},
	);

	test('a webhook URL with its own query stays inside the deliver parameter', async () => {
		const endpoint = 'https://hook.example/x?a=1&collector=c_evil#frag';
		const spent = mark(api());
		await run({ operation: 'trigger', collector: collectorId('c_products01'), fieldsToSend: 'selected', inputFields: 'url', delivery: { deliver: { type: 'webhook', endpoint } } }, [
			{ url: URL_A },
		]);
		const [trigger] = spent().requests;
		expect(Object.keys(trigger.query).sort()).toEqual(['collector', 'deliver', 'queue_next']);
		expect(trigger.query.collector).toBe('c_products01');
		expect(JSON.parse(trigger.query.deliver)).toMatchObject({ type: 'webhook', endpoint });
	});

	test('input values with odd characters arrive byte for byte in the body', async () => {
		const url = 'https://shop.example/p?q="a&b"#x\u0000\u2028ü✓';
		const spent = mark(api());
		await run({ operation: 'trigger', collector: collectorId('c_products01') }, [{ url }]);
		expect(spent().requests[0].body).toEqual([{ url }]);
	});
});

describe('padded IDs are trimmed, not refused', () => {
	// The editor's own check for a collector ID allows surrounding spaces (^\s*c_…\s*$), so the node trims.
	test('a padded collector and snapshot ID are sent trimmed', async () => {
		const spent = mark(api());
		const started = await run(parametersFor('trigger', { collector: collectorId(V) }), [itemWith('  c_products01\t')]);
		expect(spent().requests[0].query.collector).toBe('c_products01');
		expect(started.items[0].json.collector).toBe('c_products01');

		const id = (await run({ operation: 'trigger', collector: collectorId('c_products01') }, [{ url: URL_A }])).items[0].json.snapshot_id as string;
		const before = mark(api());
		await run({ resource: 'job', operation: 'get', snapshotId: V }, [{ v: ` ${id}  ` }]);
		expect(before().requests.map(({ path }) => path)).toEqual([`/dca/log/${id}`]);
	});
});

describe('the defaults the editor fills in', () => {
	// A number option whose default is missing is saved empty when a user adds it; the node must
	// then refuse it (see the "undefined (expression)" cases above), so every default must be there.
	test('no parameter or option lost its default or says "undefined" (module load order)', () => {
		const broken: string[] = [];
		const visit = (properties: Array<Record<string, unknown>>, path: string) => {
			for (const property of properties) {
				const name = `${path}${String(property.name)}`;
				if (/\bundefined\b/.test(String(property.description ?? ''))) broken.push(`${name}: description says "undefined"`);
				if (property.type === 'number' && property.default === undefined) broken.push(`${name}: no default`);
				if (Array.isArray(property.options) && typeof property.options[0] === 'object' && 'displayName' in property.options[0]) {
					visit(property.options as Array<Record<string, unknown>>, `${name}.`);
				}
			}
		};
		visit(new BrightDataScraperStudio().description.properties as never, '');
		expect(broken).toEqual([]);
	});
});

describe('values typed in (not expressions) that are blank', () => {
	// n8n itself refuses to run a workflow whose required parameter is empty, before the node runs,
	// so these never become error items: the whole execution is refused.
	test.each([
		['trigger', { operation: 'trigger', collector: collectorId('') }],
		['getDataset', { operation: 'getDataset', snapshotId: '' }],
		['job get', { resource: 'job', operation: 'get', snapshotId: '' }],
	])('%s with an empty required field is refused by n8n before any request', async (_op, parameters) => {
		const spent = mark(api());
		await expect(run(parameters as INodeParameters, [{ url: URL_A }], { continueOnFail: true })).rejects.toThrow(/is required/);
		expect(spent().requests).toEqual([]);
	});
});

// Last: the emulator keeps every job, and these add 25,000 inputs to what it tracks.
describe('huge input sets', () => {
	const COUNT = 5000;
	const BAD = 3333;
	const manyItems = () => Array.from({ length: COUNT }, (_, n) => (n === BAD ? {} : { url: `${URL_A}-${n}` }));

	test(`${COUNT} items, item ${BAD} empty: named before any request; with Continue the rest go in jobs of at most 1,000 (Inputs per Job)`, async () => {
		const spent = mark(api());
		const parameters = { operation: 'trigger', collector: collectorId('c_products01'), options: { inputsPerJob: 1000 } };
		const stopped = await run(parameters, manyItems());
		expect(stopped.error?.message).toBe(`Item ${BAD} is empty, so it gives no input`);
		expect((stopped.error as { context?: { itemIndex?: number } })?.context?.itemIndex).toBe(BAD);
		expect(spent().requests).toEqual([]);

		const continued = await run(parameters, manyItems(), { continueOnFail: true });
		const errors = continued.items.filter(({ json }) => json.error);
		expect(errors).toEqual([{ json: expect.objectContaining({ error: `Item ${BAD} is empty, so it gives no input` }), pairedItem: { item: BAD } }]);
		const triggers = spent().requests.filter(({ path }) => path === '/dca/trigger');
		expect(triggers).toHaveLength(5);
		const sent = triggers.flatMap(({ body }) => body as IDataObject[]);
		expect(triggers.every(({ body }) => (body as unknown[]).length <= 1000)).toBe(true);
		expect(sent).toHaveLength(COUNT - 1);
		expect(new Set(sent.map(({ url }) => url)).size).toBe(COUNT - 1);
	});

	test(`one item whose Inputs expression gives 20,000 inputs: jobs of the default Inputs per Job (${DEFAULT_INPUTS_PER_JOB}), each input sent once`, async () => {
		const spent = mark(api());
		const result = await run(
			{ operation: 'trigger', collector: collectorId('c_products01'), inputSource: 'json', inputs: `={{ Array.from({ length: 20000 }, (_, n) => ({ url: "${URL_A}-" + n })) }}` },
			[{}],
		);
		expect(result.status).toBe('success');
		const jobSizes = Array.from({ length: Math.ceil(20_000 / DEFAULT_INPUTS_PER_JOB) }, (_, job) => Math.min(DEFAULT_INPUTS_PER_JOB, 20_000 - job * DEFAULT_INPUTS_PER_JOB));
		expect(result.items).toHaveLength(jobSizes.length);
		const triggers = spent().requests.filter(({ path }) => path === '/dca/trigger');
		expect(triggers.map(({ body }) => (body as unknown[]).length)).toEqual(jobSizes);
		const sent = triggers.flatMap(({ body }) => body as IDataObject[]);
		expect(new Set(sent.map(({ url }) => url)).size).toBe(20_000);
	});
});
