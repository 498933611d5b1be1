/** The AI Flow self-heal endpoints against ai-flow-api.md (§2–§5), at real speed driven by advance(). */
import { APPLY_SECONDS, GATE_STEP, HEAL_SECONDS, HEAL_STEPS } from '../../emulator/heal';
import { JOBS_LIMIT_TEXT } from '../../emulator/aiFlow';
import { startEmulator, type Emulator } from '../../emulator/server';
import { call, trigger } from './client';

let api: Emulator;
beforeAll(async () => {
	api = await startEmulator({ collectors: [] });
});
afterAll(() => api.close());
/** Every heal ends, so the next test has all 3 slots. */
afterEach(() => api.advance(HEAL_SECONDS + APPLY_SECONDS));

const URL_ = 'https://shop.example/product/echo-portable-speaker';
const PROMPT = 'The price comes back empty since the site changed; fix it and add rating';

/** A collector built with AI (done), whose price the site then broke. */
async function brokenCollector(): Promise<string> {
	const { id } = (await call(api, 'POST', '/dca/collector', { body: { name: 'Shop' } })).json<{ id: string }>();
	await call(api, 'POST', `/dca/collectors/${id}/automate_template`, { body: { description: 'title and price', urls: [URL_] } });
	api.advance(360);
	await call(api, 'GET', `/dca/collectors/${id}/automate_template/progress`);
	api.siteChanged(id, ['price']);
	return id;
}
const heal = (id: string, body: unknown) => call(api, 'POST', `/dca/collectors/${id}/refactor_template`, { body });
const progress = async (id: string) => (await call(api, 'GET', `/dca/collectors/${id}/refactor_template/progress`)).json<Record<string, unknown>>();
const resume = (id: string, body: unknown) => call(api, 'POST', `/dca/collectors/${id}/resume_automation_job`, { body });
/** The fields and price of one row of a fresh run (version=dev when asked). */
async function runOnce(id: string, query: Record<string, string> = {}): Promise<Record<string, unknown>> {
	const jobId = await trigger(api, id, [{ url: URL_ }], query);
	api.advance(60);
	return api.job(jobId)!.rows[0];
}
/** Starts a heal and brings it to the gate. */
async function atGate(id: string, prompt = PROMPT): Promise<void> {
	expect((await heal(id, { prompt, custom_input: [] })).json()).toEqual({ id: expect.stringMatching(/^ia_/), queued: false });
	api.advance(HEAL_SECONDS);
}

test('a heal runs its steps, stops at the gate with a diff and preview rows; approve with auto_save changes later runs, not earlier ones', async () => {
	const id = await brokenCollector();
	const before = await trigger(api, id, [{ url: URL_ }]);
	api.advance(60);
	expect(api.job(before)!.rows[0].price).toBeNull();

	await heal(id, { prompt: PROMPT });
	expect(await progress(id)).toEqual({ step: HEAL_STEPS[0], completed_steps: [], status: 'running' });
	api.advance(HEAL_SECONDS);
	const gate = await progress(id);
	expect(gate).toEqual(expect.objectContaining({ status: 'pending_answer', step: GATE_STEP, completed_steps: HEAL_STEPS }));
	const diff = gate.diff as { template_a: { steps: { field: string; selector: string }[] }; template_b: { steps: { field: string; selector: string }[] } };
	expect(diff.template_b.steps.find((step) => step.field === 'price')?.selector).toBe('[itemprop="price"]');
	expect(diff.template_a.steps.find((step) => step.field === 'price')?.selector).toBe('.product-price');
	expect(diff.template_b.steps.map((step) => step.field)).toContain('rating');
	const [preview] = gate.preview_result as Record<string, unknown>[];
	expect(typeof preview.price).toBe('number');

	const answered = await resume(id, { message: true, auto_save: true });
	expect([answered.status, answered.text]).toEqual([200, '']);
	expect((await progress(id)).status).toBe('running');
	api.advance(APPLY_SECONDS);
	expect(await progress(id)).toEqual({ step: GATE_STEP, completed_steps: [...HEAL_STEPS, GATE_STEP], status: 'done' });

	const after = await runOnce(id);
	expect([typeof after.price, 'rating' in after]).toEqual(['number', true]);
	expect(api.job(before)!.rows[0].price).toBeNull();
});

test('approve without auto_save changes only the development version (version=dev); production keeps the old code', async () => {
	const id = await brokenCollector();
	await atGate(id);
	await resume(id, { message: true });
	api.advance(APPLY_SECONDS);
	expect((await progress(id)).status).toBe('done');
	expect((await runOnce(id)).price).toBeNull();
	expect(typeof (await runOnce(id, { version: 'dev' })).price).toBe('number');
});

test('reject changes nothing, in production or development', async () => {
	const id = await brokenCollector();
	await atGate(id);
	await resume(id, { message: false });
	api.advance(APPLY_SECONDS);
	expect((await progress(id)).status).toBe('done');
	expect((await runOnce(id)).price).toBeNull();
	expect((await runOnce(id, { version: 'dev' })).price).toBeNull();
});

test('409 while a heal runs and while it waits at the gate; a finished heal allows the next', async () => {
	const id = await brokenCollector();
	await heal(id, { prompt: PROMPT });
	const running = await heal(id, { prompt: PROMPT });
	expect([running.status, running.json()]).toEqual([409, { error: 'Another refactor job is still in progress' }]);
	api.advance(HEAL_SECONDS);
	expect((await heal(id, { prompt: PROMPT })).status).toBe(409);
	await resume(id, { message: false });
	api.advance(APPLY_SECONDS);
	expect((await heal(id, { prompt: PROMPT })).status).toBe(200);
});

test('resume away from the gate → 400 Invalid ide automation; cancel ends a heal (cancelled), then 400', async () => {
	const id = await brokenCollector();
	expect((await resume(id, { message: true, auto_save: true })).json()).toEqual({ error: 'Invalid ide automation' });
	await heal(id, { prompt: PROMPT });
	expect((await resume(id, { message: true })).status).toBe(400);
	const cancel = () => call(api, 'POST', `/dca/collectors/${id}/cancel_automation`, { body: { type: 'refactor' } });
	expect([(await cancel()).status, (await progress(id)).status]).toEqual([200, 'cancelled']);
	expect((await cancel()).status).toBe(400);
	api.advance(HEAL_SECONDS);
	expect((await progress(id)).status).toBe('cancelled');
});

test('a prompt with "fail" ends failed at code_fixer', async () => {
	const id = await brokenCollector();
	await heal(id, { prompt: 'fix price or fail' });
	api.advance(HEAL_SECONDS);
	expect(await progress(id)).toEqual({ step: 'code_fixer', completed_steps: HEAL_STEPS.slice(0, 2), status: 'failed' });
});

test('heals take AI job slots: with 3 running, a 4th start (heal or create) answers 429 with the text', async () => {
	const ids: string[] = [];
	for (let n = 0; n < 4; n++) ids.push(await brokenCollector());
	for (const id of ids.slice(0, 3)) expect((await heal(id, { prompt: PROMPT })).status).toBe(200);
	const refused = await heal(ids[3], { prompt: PROMPT });
	expect([refused.status, refused.text]).toEqual([429, JOBS_LIMIT_TEXT]);
	const create = await call(api, 'POST', `/dca/collectors/${ids[3]}/automate_template`, { body: { description: 'names', urls: [URL_] } });
	expect(create.status).toBe(429);
	// At the gate a heal no longer holds a slot.
	api.advance(HEAL_SECONDS);
	expect((await heal(ids[3], { prompt: PROMPT })).status).toBe(200);
});

test.each([
	['an empty prompt', { prompt: '' }, 400, 'Invalid prompt'],
	['1,001 characters', { prompt: 'x'.repeat(1001) }, 400, 'Invalid prompt'],
	['angle brackets', { prompt: 'fix the <span> price' }, 422, 'Invalid message'],
	['custom_input not an array', { prompt: 'fix', custom_input: { url: URL_ } }, 400, 'Invalid custom_input'],
])('heal with %s → %p %p', async (_label, body, status, error) => {
	const id = await brokenCollector();
	const result = await heal(id, body);
	expect([result.status, result.json()]).toEqual([status, { error }]);
});

test('test inputs are what the preview runs', async () => {
	const id = await brokenCollector();
	await heal(id, { prompt: PROMPT, custom_input: [{ url: 'https://shop.example/product/a' }, { url: 'https://shop.example/product/b' }] });
	api.advance(HEAL_SECONDS);
	const rows = (await progress(id)).preview_result as { input: { url: string } }[];
	expect(rows.map((row) => row.input.url)).toEqual(['https://shop.example/product/a', 'https://shop.example/product/b']);
});
