/**
 * Collector → Create with AI and Get AI Status through n8n's engine against the emulator's AI
 * Flow endpoints: the wait, its progress, the 3-jobs limit, lost answers, Timeout and Stop.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AI_JOB_SECONDS, COMPLEX_AI_JOB_SECONDS, CREATE_STEPS, JOBS_LIMIT_TEXT } from '../../emulator/aiFlow';
import { properties as createProperties } from '../../nodes/BrightDataScraperStudio/actions/collector/createWithAi.operation';
import { COLLECTOR_IDS_KEY } from '../../nodes/BrightDataScraperStudio/records/customData';
import { call } from '../emulator/client';
import { useEmulator } from '../harness/emulator';
import { collectorId, triggerAndWait } from '../harness/params';
import { runScraper, stopWhen, type RunResult } from '../harness/workflow';
import { recordN8nLogs } from '../reliability/helpers';

const emulator = useEmulator();
const api = () => emulator.current();
const run = (parameters: INodeParameters, items: IDataObject[] = [{}], extra: Partial<Parameters<typeof runScraper>[2]> = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: api().token, ...extra });

const PAGE = 'https://shop.example/product/echo-portable-speaker';
/** Tests scale time (1 s is 1 ms): the largest Timeout, unless a test sets its own, so a busy machine never times out. */
const createWithAi = (extra: INodeParameters = {}): INodeParameters => ({
	resource: 'collector',
	operation: 'createWithAi',
	url: PAGE,
	description: 'Title, price and rating of the product',
	...extra,
	options: { timeout: 86_400, ...(extra.options as INodeParameters | undefined) },
});
const getAiStatus = (id: string): INodeParameters => ({ resource: 'collector', operation: 'getAiStatus', collector: collectorId(id) });

const count = (method: string, path: string | RegExp) => api().count(method, path);
const START = /^\/dca\/collectors\/[^/]+\/automate_template$/;
const PROGRESS = /^\/dca\/collectors\/[^/]+\/automate_template\/progress$/;
const errorOf = (result: RunResult) => result.error as (Error & { description?: string; context?: { itemIndex?: number } }) | undefined;

/** Takes the account's 3 AI job slots, straight through the API (a "complex" description: 25-minute jobs). */
async function takeAllSlots(description: string): Promise<void> {
	for (let n = 0; n < 3; n++) {
		const { id } = (await call(api(), 'POST', '/dca/collector', { body: { name: `busy ${n}` } })).json<{ id: string }>();
		expect((await call(api(), 'POST', `/dca/collectors/${id}/automate_template`, { body: { description, urls: [PAGE] } })).status).toBe(200);
	}
}
/** Ends every AI job, so the next test has all slots. */
afterEach(() => api().advance(COMPLEX_AI_JOB_SECONDS));

describe('Create with AI', () => {
	test('creates one collector, waits for the AI job, outputs collector_id with status and steps; progress shown; the collector then runs with the described fields', async () => {
		const logs = recordN8nLogs();
		const messages: unknown[] = [];
		const before = { create: count('POST', '/dca/collector'), start: count('POST', START) };
		const result = await run(createWithAi({ name: 'Speakers' }), [{}], { onMessage: (_node, sent) => messages.push(...sent) });
		logs.restore();

		expect(result.status).toBe('success');
		const [item] = result.items;
		const id = String(item.json.collector_id);
		expect(item).toEqual({
			json: { collector_id: expect.stringMatching(/^c_/), ai_job_id: expect.stringMatching(/^ia_/), status: 'done', step: 'collector_mainatiner', completed_steps: CREATE_STEPS },
			pairedItem: { item: 0 },
		});
		expect([count('POST', '/dca/collector') - before.create, count('POST', START) - before.start]).toEqual([1, 1]);
		expect(messages.some((message) => String(message).startsWith(`Bright Data collector ${id}: AI job running, step `))).toBe(true);
		expect(result.run.data.resultData.metadata?.[COLLECTOR_IDS_KEY]).toBe(id);
		const lines = logs.records.map(({ message }) => String(message)).filter((message) => message.includes(`collector ${id}:`));
		expect(lines.some((line) => line.includes('created ("Speakers")'))).toBe(true);
		expect(lines.some((line) => line.includes('AI job done'))).toBe(true);

		const rows = await run(triggerAndWait(id), [{ url: PAGE }]);
		expect(rows.status).toBe('success');
		expect(Object.keys(rows.items[0].json).sort()).toEqual(['input', 'price', 'product', 'rating', 'title', 'url']);
	});

	test('a 25-minute job (a complex target) is waited for; the default Timeout is longer than that', async () => {
		const result = await run(createWithAi({ description: 'complex catalogue: names and prices' }));
		expect(result.items[0].json.status).toBe('done');
		const timeout = createProperties.find(({ name }) => name === 'options')?.options?.find((option) => option.name === 'timeout') as { default?: number };
		expect(timeout.default).toBeGreaterThanOrEqual(COMPLEX_AI_JOB_SECONDS);
	});

	test('Return at Once outputs the running job at once; Get AI Status reads it until done', async () => {
		const result = await run(createWithAi({ options: { returnAtOnce: true } }));
		const { collector_id: id, status } = result.items[0].json;
		expect(status).toBe('running');

		const first = await run(getAiStatus(String(id)));
		expect(first.items[0].json).toEqual(expect.objectContaining({ collector_id: id, status: 'running', done: false }));
		api().advance(AI_JOB_SECONDS);
		const last = await run(getAiStatus(String(id)));
		expect(last.items[0].json).toEqual({ collector_id: id, status: 'done', step: 'collector_mainatiner', completed_steps: CREATE_STEPS, done: true, failed: false });
	});

	test.each([
		['an empty description', { description: '  ' }, 'The description is empty'],
		['a description over 500 characters', { description: 'x'.repeat(501) }, 'The description is 501 characters long, more than Bright Data accepts (500)'],
		['two URLs', { url: `${PAGE} https://shop.example/b` }, 'URL must be one web address'],
		['not a URL', { url: 'shop.example' }, 'URL must be one web address'],
		['two URLs with a comma', { url: `${PAGE},https://shop.example/b` }, 'URL must be one web address'],
		['not a web address', { url: 'ftp://shop.example/a' }, 'URL must be one web address'],
		['no URL (an expression that gives nothing)', { url: '={{ "" }}' }, 'No URL given'],
	])('%s: a clear error with its item index, before any request', async (_label, parameters, message) => {
		const requests = api().requests.length;
		const result = await run(createWithAi(parameters));
		expect([errorOf(result)?.message, errorOf(result)?.context?.itemIndex]).toEqual([message, 0]);
		expect(api().requests.length).toBe(requests);
	});

	test('3 AI jobs already run: the start is retried until a slot frees, one collector', async () => {
		await takeAllSlots('names');
		const before = { create: count('POST', '/dca/collector'), start: count('POST', START) };
		const result = await run(createWithAi());

		expect(result.items[0]?.json.status).toBe('done');
		expect(count('POST', '/dca/collector') - before.create).toBe(1);
		const starts = api().requests.filter(({ path }) => START.test(path)).slice(before.start);
		expect(starts.length).toBeGreaterThan(1);
		expect(starts.at(-1)?.status).toBe(200);
		expect(starts.slice(0, -1).every(({ status }) => status === 429)).toBe(true);
		expect(JOBS_LIMIT_TEXT).toBe('Cannot run more than 3 jobs in parallel');
	});

	test('the limit lasts past the Timeout: the retries stop within it; the error names the collector and how to go on', async () => {
		await takeAllSlots('complex, long: names');
		const before = count('POST', '/dca/collector');
		const started = Date.now();
		const result = await run(createWithAi({ options: { timeout: 600 } }));
		// 600 emulated seconds are 600 ms here: room for the start's own retries on a busy machine.
		expect(Date.now() - started).toBeLessThan(600 + 1000);

		const id = lastId();
		expect(errorOf(result)?.message).toBe(`Collector "${id}" was created, but its AI job did not start within 600 s (waiting for a free AI job slot)`);
		expect(errorOf(result)?.description).toContain(`"Existing Collector ID" set to ${id}`);
		expect(count('POST', '/dca/collector') - before).toBe(1);

		// Going on with it: no second collector.
		api().advance(COMPLEX_AI_JOB_SECONDS);
		const again = await run(createWithAi({ options: { existingCollector: id } }));
		expect(again.items[0].json).toEqual(expect.objectContaining({ collector_id: id, status: 'done' }));
		expect(count('POST', '/dca/collector') - before).toBe(1);
	});

	test('a refused start (403 Automation not allowed) names the created collector; Existing Collector ID goes on with it', async () => {
		api().injectFault({ method: 'POST', path: START, kind: 'status', status: 403, body: JSON.stringify({ error: 'Automation not allowed' }) });
		const before = count('POST', '/dca/collector');
		const result = await run(createWithAi());
		const id = lastId();

		expect(errorOf(result)?.message).toBe(`Bright Data denied access (403) to collector "${id}"`);
		expect(errorOf(result)?.description).toContain('Bright Data said: Automation not allowed');
		expect(errorOf(result)?.description).toContain(`"Existing Collector ID" set to ${id}`);
		const again = await run(createWithAi({ options: { existingCollector: id } }));
		expect(again.items[0].json.status).toBe('done');
		expect(count('POST', '/dca/collector') - before).toBe(1);
	});

	test('a lost answer to the start is never resent, and the error names the collector', async () => {
		api().injectFault({ method: 'POST', path: START, kind: 'drop', after: true });
		const before = { create: count('POST', '/dca/collector'), start: count('POST', START) };
		const result = await run(createWithAi());
		const id = lastId();

		expect(errorOf(result)?.message).toMatch(new RegExp(`^The AI start request for collector "${id}" failed after it may have reached Bright Data`));
		expect(errorOf(result)?.description).toContain(`Get AI Status with it shows whether its AI job started`);
		expect([count('POST', '/dca/collector') - before.create, count('POST', START) - before.start]).toEqual([1, 1]);
	});

	test('a lost answer to the collector\'s creation is never resent: the error says how to go on with a collector it may have made', async () => {
		api().injectFault({ method: 'POST', path: '/dca/collector', kind: 'drop', after: true });
		const before = { create: count('POST', '/dca/collector'), start: count('POST', START) };
		const result = await run(createWithAi({ name: 'Lost answer' }));

		expect(errorOf(result)?.message).toMatch(/^The request to create a collector for the request failed after it may have reached Bright Data/);
		expect(errorOf(result)?.description).toContain('If a collector named "Lost answer" now shows in Scraper Studio, go on with it');
		expect([count('POST', '/dca/collector') - before.create, count('POST', START) - before.start]).toEqual([1, 0]);
	});

	test('an AI job that fails ends with its status and step', async () => {
		const result = await run(createWithAi({ description: 'names (fail)' }));
		expect(errorOf(result)?.message).toBe(`The AI job of collector "${lastId()}" ended with status failed (step code_generator)`);
	});

	test('Timeout: the job goes on at Bright Data; the error says so and where to look', async () => {
		// A 25-minute job and 600 ms of real time: the start is through long before the Timeout, however busy the machine.
		const result = await run(createWithAi({ description: 'complex: names', options: { timeout: 600 } }));
		const id = lastId();
		expect(errorOf(result)?.message).toMatch(new RegExp(`^The AI job of collector "${id}" was not done after 600 s \\(status: (running|started)\\)$`));
		expect(errorOf(result)?.description).toContain(`Get AI Status with collector ${id}`);
	});

	test('Stop ends the wait: no progress read after the execution ends', async () => {
		const before = count('GET', PROGRESS);
		const stop = stopWhen(() => count('GET', PROGRESS) - before >= 2);
		const result = await run(createWithAi({ description: 'complex: names' }), [{}], stop.options);
		expect(result.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(stop.sentAfterStop).toEqual([]);
	});
});

describe('Get AI Status', () => {
	test('an unknown collector: the API error as the error mapping words it', async () => {
		const result = await run(getAiStatus('c_unknown1'));
		expect(errorOf(result)?.message).toBe('Collector "c_unknown1" was not found (404)');
	});
});

/** The collector of the last AI start (the node starts right after creating it). */
function lastId(): string {
	const path = api().requests.filter(({ path }) => START.test(path)).at(-1)?.path ?? '';
	return path.split('/')[3] ?? '';
}
