/**
 * Collector → Self-Heal, Approve or Reject Heal, Cancel Heal (and Get AI Status of a heal) through
 * n8n's engine against the emulator: the wait to the proposal, the gate's answers and what later
 * runs return, 409, the 3-jobs limit, lost answers, bad input, Timeout and Stop.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { AI_JOB_SECONDS, COMPLEX_AI_JOB_SECONDS } from '../../emulator/aiFlow';
import { GATE_STEP, HEAL_SECONDS } from '../../emulator/heal';
import { COLLECTOR_IDS_KEY } from '../../nodes/BrightDataScraperStudio/records/customData';
import { call } from '../emulator/client';
import { useEmulator } from '../harness/emulator';
import { collectorId, triggerAndWait } from '../harness/params';
import { runScraper, stopWhen, type RunResult } from '../harness/workflow';
import { recordN8nLogs } from '../reliability/helpers';

const emulator = useEmulator();
const api = () => emulator.current();
const run = (parameters: INodeParameters, extra: Partial<Parameters<typeof runScraper>[2]> = {}, items: IDataObject[] = [{}]) =>
	runScraper(parameters, items, { baseUrl: api().url, token: api().token, ...extra });

const PAGE = 'https://shop.example/product/echo-portable-speaker';
const PROMPT = 'The price comes back empty since the site changed; fix it and add rating';
/** Tests scale time (1 s is 1 ms): the largest Timeout unless a test sets its own. */
const withTimeout = (parameters: INodeParameters): INodeParameters => ({ ...parameters, options: { timeout: 86_400, ...(parameters.options as INodeParameters | undefined) } });
const heal = (id: string, extra: INodeParameters = {}) => withTimeout({ resource: 'collector', operation: 'heal', collector: collectorId(id), prompt: PROMPT, ...extra });
const resolve = (id: string, extra: INodeParameters = {}) => withTimeout({ resource: 'collector', operation: 'resolveHeal', collector: collectorId(id), decision: 'approve', ...extra });
const cancelHeal = (id: string): INodeParameters => ({ resource: 'collector', operation: 'cancelHeal', collector: collectorId(id) });
const healStatus = (id: string): INodeParameters => ({ resource: 'collector', operation: 'getAiStatus', collector: collectorId(id), aiJob: 'heal' });

const START = /^\/dca\/collectors\/[^/]+\/refactor_template$/;
const PROGRESS = /^\/dca\/collectors\/[^/]+\/refactor_template\/progress$/;
const RESUME = /^\/dca\/collectors\/[^/]+\/resume_automation_job$/;
const count = (method: string, path: RegExp) => api().count(method, path);
const errorOf = (result: RunResult) => result.error as (Error & { description?: string; httpCode?: string; context?: { itemIndex?: number } }) | undefined;

/** A collector built with AI (title and price), whose price the site then broke. */
async function brokenCollector(): Promise<string> {
	const { id } = (await call(api(), 'POST', '/dca/collector', { body: { name: 'Shop' } })).json<{ id: string }>();
	await call(api(), 'POST', `/dca/collectors/${id}/automate_template`, { body: { description: 'title and price', urls: [PAGE] } });
	api().advance(AI_JOB_SECONDS);
	await call(api(), 'GET', `/dca/collectors/${id}/automate_template/progress`);
	api().siteChanged(id, ['price']);
	return id;
}
/** The price of the first row of a Trigger and Wait run now (the development version when asked). */
async function priceNow(id: string, useDevVersion = false): Promise<unknown> {
	const rows = await run(triggerAndWait(id, { options: { useDevVersion } }), {}, [{ url: PAGE }]);
	return rows.status === 'success' ? rows.items[0].json.price : `run failed: ${String(rows.error?.message)}`;
}
/** Takes the account's 3 AI job slots straight through the API (complex creates: 25 minutes). */
async function takeAllSlots(): Promise<void> {
	for (let n = 0; n < 3; n++) {
		const { id } = (await call(api(), 'POST', '/dca/collector', { body: { name: `busy ${n}` } })).json<{ id: string }>();
		expect((await call(api(), 'POST', `/dca/collectors/${id}/automate_template`, { body: { description: 'complex: names', urls: [PAGE] } })).status).toBe(200);
	}
}
afterEach(() => api().advance(COMPLEX_AI_JOB_SECONDS));

describe('Self-Heal', () => {
	test('waits until Bright Data proposes a change and outputs it: summary, diff, preview rows; progress shown; the ID in logs and custom data', async () => {
		const id = await brokenCollector();
		const logs = recordN8nLogs();
		const messages: unknown[] = [];
		const result = await run(heal(id), { onMessage: (_node, sent) => messages.push(...sent) });
		logs.restore();

		expect(result.status).toBe('success');
		const { json } = result.items[0];
		expect(json).toEqual(expect.objectContaining({ collector_id: id, ai_job_id: expect.stringMatching(/^ia_/), status: 'pending_answer', step: GATE_STEP, awaiting_approval: true }));
		expect(json.steps_changed).toEqual(['extract_price']);
		expect(json.steps_added).toEqual(['extract_rating']);
		expect(json.summary).toBe(
			`Proposed change: 1 of 3 steps changed (extract_price), 1 added (extract_rating), 0 removed. The preview produced 1 row with title, price, url, rating. Bright Data's title: "Self-heal: ${PROMPT}".`,
		);
		const diff = json.diff as { template_a: { steps: unknown[] }; template_b: { steps: unknown[] } };
		expect([diff.template_a.steps.length, diff.template_b.steps.length]).toEqual([3, 4]);
		expect(typeof (json.preview_result as IDataObject[])[0].price).toBe('number');
		expect(messages.some((message) => String(message).startsWith(`Bright Data collector ${id}: self-heal running, step `))).toBe(true);
		expect(result.run.data.resultData.metadata?.[COLLECTOR_IDS_KEY]).toBe(id);
		const lines = logs.records.map(({ message }) => String(message)).filter((line) => line.includes(`collector ${id}:`));
		expect(lines.some((line) => /self-heal ia_\w+ started/.test(line))).toBe(true);
		expect(lines.some((line) => line.includes('self-heal pending_answer after'))).toBe(true);

		const status = await run(healStatus(id));
		expect(status.items[0].json).toEqual(expect.objectContaining({ collector_id: id, status: 'pending_answer', done: false }));
	});

	test('test inputs are what the preview runs', async () => {
		const id = await brokenCollector();
		const inputs = [{ url: 'https://shop.example/product/a' }, { url: 'https://shop.example/product/b' }];
		const result = await run(heal(id, { options: { testInputs: JSON.stringify(inputs) } }));
		expect(api().requests.filter(({ path }) => START.test(path)).at(-1)?.body).toEqual({ prompt: PROMPT, custom_input: inputs });
		expect((result.items[0].json.preview_result as { input: unknown }[]).map(({ input }) => input)).toEqual(inputs);
	});

	test('a second heal while one waits for approval: the 409 is a clear error that says what to do', async () => {
		const id = await brokenCollector();
		expect((await run(heal(id))).status).toBe('success');
		const again = await run(heal(id));
		expect(errorOf(again)?.message).toBe(`A self-heal of collector "${id}" is already running or waiting for approval`);
		expect(errorOf(again)?.description).toContain('answer it with Approve or Reject Heal; to drop it, use Cancel Heal');
		expect([errorOf(again)?.name, errorOf(again)?.httpCode]).toEqual(['NodeApiError', '409']);
	});

	test.each([
		['an empty prompt', { prompt: '  ' }, 'The prompt is empty'],
		['a prompt over 1,000 characters', { prompt: 'x'.repeat(1001) }, 'The prompt is 1001 characters long, more than Bright Data accepts (1000)'],
		['angle brackets in the prompt', { prompt: 'the <span class=price> is empty' }, 'The prompt contains angle brackets (< or >), which Bright Data refuses'],
		['a closing angle bracket', { prompt: 'price -> empty' }, 'The prompt contains angle brackets (< or >), which Bright Data refuses'],
		['test inputs that are no array', { options: { testInputs: '{"url":"https://a.example"}' } }, 'Test Inputs must be a JSON array of input objects'],
	])('%s: a clear error with its item index, before any request', async (_label, parameters, message) => {
		const requests = api().requests.length;
		const result = await run(heal('c_drifted16', parameters));
		expect([errorOf(result)?.name, errorOf(result)?.message, errorOf(result)?.context?.itemIndex]).toEqual(['NodeOperationError', message, 0]);
		expect(api().requests.length).toBe(requests);
	});

	test('3 AI jobs already run: the start is retried until a slot frees, then the proposal', async () => {
		const id = await brokenCollector();
		await takeAllSlots();
		const before = count('POST', START);
		const result = await run(heal(id));
		expect(result.items[0]?.json.awaiting_approval).toBe(true);
		const starts = api().requests.filter(({ path }) => START.test(path)).slice(before);
		expect(starts.length).toBeGreaterThan(1);
		expect(starts.at(-1)?.status).toBe(200);
		expect(starts.slice(0, -1).every(({ status }) => status === 429)).toBe(true);
	});

	test('the limit lasts past the Timeout: the retries stop within it, and the error says none was started', async () => {
		const id = await brokenCollector();
		await takeAllSlots();
		const before = count('POST', START);
		const started = Date.now();
		const result = await run(heal(id, { options: { timeout: 600 } }));
		// 600 emulated seconds are 600 ms here: room for the start's own retries on a busy machine.
		expect(Date.now() - started).toBeLessThan(600 + 1000);
		expect(errorOf(result)?.message).toBe(`The self-heal of collector "${id}" did not start within 600 s (waiting for a free AI job slot)`);
		const starts = api().requests.filter(({ path }) => START.test(path)).slice(before);
		expect(starts.length).toBeGreaterThan(0);
		expect(starts.every(({ status }) => status === 429)).toBe(true);
	});

	test('a lost answer to the start is never resent', async () => {
		const id = await brokenCollector();
		api().injectFault({ method: 'POST', path: START, kind: 'drop', after: true });
		const before = count('POST', START);
		const result = await run(heal(id));
		expect(errorOf(result)?.message).toMatch(new RegExp(`^The self-heal start request for collector "${id}" failed after it may have reached Bright Data`));
		expect(errorOf(result)?.description).toContain('It was not sent again, so no second self-heal starts.');
		expect(count('POST', START) - before).toBe(1);
	});

	test('the Timeout passes while the start is out: its answer is awaited, so the error says the heal started', async () => {
		const id = await brokenCollector();
		// The start is answered 2 real seconds late, long after the 600 s (600 ms) Timeout.
		api().injectFault({ method: 'POST', path: START, kind: 'delay', ms: 2000 });
		const before = count('POST', START);
		const result = await run(heal(id, { options: { timeout: 600 } }));
		expect(errorOf(result)?.message).toBe(`The self-heal of collector "${id}" proposed no change within 600 s (status: started)`);
		expect(errorOf(result)?.description).toContain('Bright Data keeps working on it');
		expect(count('POST', START) - before).toBe(1);
		expect((await run(healStatus(id))).items[0].json.status).toBe('running');
	});

	test('a refused start is not tried again past the Timeout (503 with Retry-After 50 s, Timeout 60 s)', async () => {
		const id = await brokenCollector();
		api().injectFault({ method: 'POST', path: START, kind: 'status', status: 503, headers: { 'Retry-After': '50' }, times: Infinity });
		const before = count('POST', START);
		const result = await run(heal(id, { options: { timeout: 60 } }));
		expect(errorOf(result)?.message).toBe(`The self-heal of collector "${id}" did not start within 60 s`);
		// Sent at 0 and (when the first answer came back in time) at 50 s; a third try at 100 s would be past the Timeout.
		expect([1, 2]).toContain(count('POST', START) - before);
	});

	test('a heal that fails ends with its status and step', async () => {
		const id = await brokenCollector();
		const result = await run(heal(id, { prompt: 'fix the price or fail' }));
		expect(errorOf(result)?.message).toBe(`The self-heal of collector "${id}" ended with status failed (step code_fixer)`);
	});

	test('Timeout: no proposal yet; the error says the job goes on and where to look', async () => {
		const id = await brokenCollector();
		// Progress reads outlast the Timeout (300 real ms), so none can bring the proposal first, however fast the machine.
		api().injectFault({ method: 'GET', path: PROGRESS, kind: 'delay', ms: 1000, times: 3 });
		const result = await run(heal(id, { options: { timeout: 300 } }));
		expect(errorOf(result)?.message).toMatch(new RegExp(`^The self-heal of collector "${id}" proposed no change within 300 s \\(status: (running|started)\\)$`));
		expect(errorOf(result)?.description).toContain(`Get AI Status with collector ${id} and AI Job "Self-Heal"`);
	});

	test('Stop ends the wait: no progress read after the execution ends', async () => {
		const id = await brokenCollector();
		const before = count('GET', PROGRESS);
		const stop = stopWhen(() => count('GET', PROGRESS) - before >= 2);
		const result = await run(heal(id), stop.options);
		expect(result.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(stop.sentAfterStop).toEqual([]);
	});
});

describe('Approve or Reject Heal', () => {
	/** A broken collector whose heal waits for approval. */
	async function atGate(): Promise<string> {
		const id = await brokenCollector();
		expect((await run(heal(id))).items[0]?.json.awaiting_approval).toBe(true);
		return id;
	}

	test('approve (saved to production by default): waits until done; later runs return the repaired field', async () => {
		const id = await atGate();
		expect(await priceNow(id)).toBeNull();
		const result = await run(resolve(id));
		expect(result.items[0].json).toEqual(expect.objectContaining({ collector_id: id, decision: 'approve', saved_to_production: true, status: 'done', notice: 'Approved and saved to production: later runs use the healed code.' }));
		expect(api().requests.filter(({ path }) => RESUME.test(path)).at(-1)?.body).toEqual({ message: true, auto_save: true });
		expect(typeof (await priceNow(id))).toBe('number');
	});

	test('approve without saving: the notice says production keeps the old code and how to run the draft; only the development version changes', async () => {
		const id = await atGate();
		const result = await run(resolve(id, { saveToProduction: false }));
		expect(api().requests.filter(({ path }) => RESUME.test(path)).at(-1)?.body).toEqual({ message: true });
		expect(result.items[0].json.saved_to_production).toBe(false);
		expect(result.items[0].json.notice).toContain('production runs keep the old code. To run the healed draft, turn on the option "Use Development Version"');
		expect(await priceNow(id)).toBeNull();
		expect(typeof (await priceNow(id, true))).toBe('number');
	});

	test('reject: done, and nothing changes (production or development)', async () => {
		const id = await atGate();
		const result = await run(resolve(id, { decision: 'reject', saveToProduction: true }));
		expect(api().requests.filter(({ path }) => RESUME.test(path)).at(-1)?.body).toEqual({ message: false });
		expect(result.items[0].json).toEqual(expect.objectContaining({ decision: 'reject', saved_to_production: false, status: 'done', notice: 'Rejected: the collector\'s code is unchanged.' }));
		expect([await priceNow(id), await priceNow(id, true)]).toEqual([null, null]);
	});

	test('nothing waits for approval: Bright Data\'s 400 with what it means, sent once', async () => {
		const id = await brokenCollector();
		const before = count('POST', RESUME);
		const result = await run(resolve(id));
		expect(errorOf(result)?.description).toContain('Bright Data said: Invalid ide automation');
		expect(errorOf(result)?.description).toContain('when no self-heal of the collector waits for approval');
		expect(count('POST', RESUME) - before).toBe(1);
	});

	test('a lost answer is never resent', async () => {
		const id = await atGate();
		api().injectFault({ method: 'POST', path: RESUME, kind: 'drop', after: true });
		const before = count('POST', RESUME);
		const result = await run(resolve(id));
		expect(errorOf(result)?.message).toMatch(/failed after it may have reached Bright Data/);
		expect(count('POST', RESUME) - before).toBe(1);
	});

	test('Timeout after the answer: the error says Bright Data took it and not to answer again', async () => {
		const id = await atGate();
		// Progress reads outlast the Timeout (500 real ms, time enough for the answer itself), so none can say "done" first.
		api().injectFault({ method: 'GET', path: PROGRESS, kind: 'delay', ms: 1000, times: 3 });
		const result = await run(resolve(id, { options: { timeout: 500 } }));
		expect(errorOf(result)?.message).toBe(`The self-heal of collector "${id}" was not done 500 s after the answer (status: started)`);
		expect(errorOf(result)?.description).toContain('do not answer again');
	});

	test('Stop ends the wait after the answer', async () => {
		const id = await atGate();
		const before = count('GET', PROGRESS);
		// Progress reads answer after half a real second: the Stop comes while the first one is out, however busy the machine.
		api().injectFault({ method: 'GET', path: PROGRESS, kind: 'delay', ms: 500, times: 20 });
		const stop = stopWhen(() => count('GET', PROGRESS) - before >= 1);
		const result = await run(resolve(id), stop.options);
		expect(result.status).toBe('canceled');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(stop.sentAfterStop).toEqual([]);
	});
});

describe('Cancel Heal', () => {
	test('stops a running heal; a new heal can start after it', async () => {
		const id = await brokenCollector();
		expect((await call(api(), 'POST', `/dca/collectors/${id}/refactor_template`, { body: { prompt: PROMPT } })).status).toBe(200);
		const result = await run(cancelHeal(id));
		expect(result.items[0].json).toEqual({ collector_id: id, cancelled: true });
		expect((await run(healStatus(id))).items[0].json.status).toBe('cancelled');
		api().advance(HEAL_SECONDS);
		expect((await run(heal(id))).items[0]?.json.awaiting_approval).toBe(true);
	});

	test('nothing to cancel: Bright Data\'s answer as the error', async () => {
		const result = await run(cancelHeal(await brokenCollector()));
		expect(errorOf(result)?.description).toContain('No refactor job in progress');
	});
});
