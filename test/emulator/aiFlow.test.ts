/** The AI Flow create endpoints against ai-flow-api.md (§2–§5), at real speed driven by advance(). */
import { AI_JOB_SECONDS, COMPLEX_AI_JOB_SECONDS, CREATE_STEPS, JOBS_LIMIT_TEXT } from '../../emulator/aiFlow';
import { startEmulator, type Emulator } from '../../emulator/server';
import { call, trigger } from './client';

let api: Emulator;
beforeAll(async () => {
	api = await startEmulator();
});
afterAll(() => api.close());

const URL_ = 'https://shop.example/product/echo-portable-speaker';

async function create(name = 'Shop'): Promise<string> {
	const result = await call(api, 'POST', '/dca/collector', { body: { name, deliver: { type: 'api_pull' } } });
	expect(result.status).toBe(200);
	return result.json<{ id: string }>().id;
}
const start = (id: string, body: unknown) => call(api, 'POST', `/dca/collectors/${id}/automate_template`, { body });
const progress = async (id: string) => (await call(api, 'GET', `/dca/collectors/${id}/automate_template/progress`)).json<{ status: string; step: string; completed_steps: string[] }>();

test('POST /dca/collector answers the collector object, inactive, without code: trigger gives 403', async () => {
	const result = await call(api, 'POST', '/dca/collector', { body: { name: 'My Shop' } });
	expect(result.json()).toEqual({ id: expect.stringMatching(/^c_[a-z0-9]+$/), name: 'My Shop', active: false, created: expect.any(String), zone: 'v__dca_my_shop_1', history: [] });
	const id = result.json<{ id: string }>().id;
	const triggered = await call(api, 'POST', '/dca/trigger', { query: { collector: id }, body: [{ url: URL_ }] });
	expect([triggered.status, triggered.json()]).toEqual([403, { error: 'Collector does not have a template' }]);
});

test('an AI job goes through the steps on the clock, ends done, and the collector then runs with fields from the description', async () => {
	const id = await create();
	const started = await start(id, { description: 'Title, price and rating of the product', urls: [URL_] });
	expect(started.json()).toEqual({ id: expect.stringMatching(/^ia_/), queued: false });
	expect(await progress(id)).toEqual({ step: CREATE_STEPS[0], completed_steps: [], status: 'running' });
	api.advance(AI_JOB_SECONDS / 2);
	const half = await progress(id);
	expect([half.status, half.completed_steps.length]).toEqual(['running', 4]);
	expect((await call(api, 'POST', '/dca/trigger', { query: { collector: id }, body: [{ url: URL_ }] })).status).toBe(403);
	api.advance(AI_JOB_SECONDS / 2);
	expect(await progress(id)).toEqual({ step: 'collector_mainatiner', completed_steps: CREATE_STEPS, status: 'done' });

	const jobId = await trigger(api, id, [{ url: URL_ }]);
	api.advance(60);
	const [row] = api.job(jobId)!.rows;
	expect(Object.keys(row).sort()).toEqual(['input', 'price', 'product', 'rating', 'title', 'url']);
	expect(row.url).toBe(URL_);
});

test('a complex target takes 25 minutes; a description with "fail" ends failed at code_generator', async () => {
	const complex = await create();
	await start(complex, { description: 'complex listing: names', urls: [URL_] });
	const failing = await create();
	await start(failing, { description: 'names (fail here)', urls: [URL_] });
	api.advance(AI_JOB_SECONDS);
	expect((await progress(complex)).status).toBe('running');
	expect(await progress(failing)).toEqual({ step: 'code_generator', completed_steps: CREATE_STEPS.slice(0, 5), status: 'failed' });
	api.advance(COMPLEX_AI_JOB_SECONDS - AI_JOB_SECONDS);
	expect((await progress(complex)).status).toBe('done');
});

test('at most 3 AI jobs at once: the 4th start answers 429 with the text, a finished one frees a slot; the collector is still created', async () => {
	const ids = await Promise.all([create(), create(), create(), create()]);
	for (const id of ids.slice(0, 3)) expect((await start(id, { description: 'names', urls: [URL_] })).status).toBe(200);
	const refused = await start(ids[3], { description: 'names', urls: [URL_] });
	expect([refused.status, refused.text]).toEqual([429, JOBS_LIMIT_TEXT]);
	api.advance(AI_JOB_SECONDS);
	expect((await start(ids[3], { description: 'names', urls: [URL_] })).status).toBe(200);
	api.advance(AI_JOB_SECONDS);
});

test.each([
	['an empty description', { description: '', urls: [URL_] }, 400, 'Invalid description'],
	['501 characters', { description: 'x'.repeat(501), urls: [URL_] }, 400, 'Invalid description'],
	['two URLs', { description: 'names', urls: [URL_, URL_] }, 400, 'Invalid urls'],
	['urls not an array', { description: 'names', urls: 'https://a.example' }, 400, 'Invalid urls'],
])('start with %s → %p %p', async (_label, body, status, error) => {
	const id = await create();
	const result = await start(id, body);
	expect([result.status, result.json()]).toEqual([status, { error }]);
});

test('unknown collector → 404 on start and progress; progress before any start → 404', async () => {
	expect((await start('c_nope', { description: 'names', urls: [URL_] })).status).toBe(404);
	expect((await call(api, 'GET', '/dca/collectors/c_nope/automate_template/progress')).status).toBe(404);
	expect((await call(api, 'GET', `/dca/collectors/${await create()}/automate_template/progress`)).status).toBe(404);
});
