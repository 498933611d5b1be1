/**
 * Trigger and Wait with "Resume on Notification", in-process: the execution parks as n8n's
 * waiting executions do, and is resumed through the node's webhook() in a real WebhookContext,
 * or by the wait tracker when no call comes. (The end-to-end tests do the same in a real n8n.)
 */
import type { IRun } from 'n8n-workflow';

import { useEmulator } from '../harness/emulator';
import { triggerAndWait } from '../harness/params';
import {
	callResumeWebhook,
	EXECUTION_ID,
	resumeAfterWaitTill,
	scraperWorkflow,
	runWorkflow,
	SCRAPER,
	WAITING_BASE_URL,
} from '../harness/workflow';

// Slow enough that no job is done before the execution parks (the node would then output its rows at once).
const emulator = useEmulator({ timeScale: 10 });
const options = () => ({ baseUrl: emulator.current().url, token: emulator.current().token });
const product = (name: string) => ({ url: `https://shop.example/product/${name}` });
const items = [product('speaker'), product('fail-lamp'), product('desk')];

/** Starts a waiting execution and returns it with the notify URL Bright Data was given. */
async function startWaiting(collector = 'c_products01', extra = {}) {
	const definition = scraperWorkflow(triggerAndWait(collector, { waitMode: 'notification', ...extra }), items);
	const before = emulator.current().jobs.length;
	const waiting = await runWorkflow(definition, options());
	const jobs = emulator.current().jobs.slice(before);
	const notify = JSON.parse(String(jobs[0]?.options.notify ? JSON.stringify(jobs[0].options.notify) : '{}')) as { endpoint?: string };
	return { definition, waiting, jobs, endpoint: new URL(notify.endpoint ?? 'http://invalid') };
}

const queryOf = (url: URL) => Object.fromEntries(url.searchParams.entries());

describe('Resume on Notification', () => {
	test('the execution waits; the job carries a notify URL to this execution and the timeout as its deadline', async () => {
		const { waiting, jobs, endpoint } = await startWaiting('c_products01', { options: { timeout: 900 } });

		expect(waiting.status).toBe('waiting');
		expect(jobs).toHaveLength(1);
		expect(`${endpoint.origin}${endpoint.pathname}`).toBe(`${WAITING_BASE_URL}/${EXECUTION_ID}/scraper`);
		expect(endpoint.searchParams.get('brightdata')).toMatch(/^[0-9a-f]{32}$/);
		expect(jobs[0].options).toMatchObject({ deadline: '900s' });
	});

	test('the notification resumes it with the rows in input order, failed inputs on their own output', async () => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		emulator.current().finish(jobs[0].id);

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint), body: { collection_id: jobs[0].id } }, options());
		const [rows, failed] = answer.resumed!.outputOf(SCRAPER);

		expect(answer.resumed?.status).toBe('success');
		expect(rows.map(({ json }) => json.input)).toEqual([items[0], items[2]]);
		expect(failed.map(({ json }) => [json.input, json.error_code])).toEqual([[items[1], expect.any(String)]]);
		// n8n renumbers a resumed node's items by position (addPairedItemLineage), so item
		// linking after a resume is positional; each row still carries its echoed input.
	});

	test.each([
		['a forged call (wrong token)', (url: URL) => ({ ...queryOf(url), brightdata: '0'.repeat(32) }), {}, 401],
		['a call without the token', () => ({}), {}, 401],
		// Until the compare hashed both sides, a token of the right length in characters but not in
		// bytes made timingSafeEqual throw, and the webhook failed instead of answering 401.
		['a non-ASCII token of the right length', (url: URL) => ({ ...queryOf(url), brightdata: 'ü'.repeat(32) }), {}, 401],
		['a 1 MB token', (url: URL) => ({ ...queryOf(url), brightdata: 'f'.repeat(1 << 20) }), {}, 401],
		['the right token twice (an array)', (url: URL) => ({ brightdata: [queryOf(url).brightdata, queryOf(url).brightdata] }), {}, 401],
		['a notification for another snapshot', queryOf, { collection_id: 'j_someoneelse' }, 409],
	])('%s is refused without resuming', async (_name, query, body, status) => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		emulator.current().finish(jobs[0].id);

		const answer = await callResumeWebhook(definition, waiting.run, { query: query(endpoint), body }, options());

		expect(answer).toEqual({ status, body: { error: expect.any(String) } });
		expect(waiting.run.data.waitTill).toBeDefined();
	});

	test('an early or replayed call while the snapshot still builds does not resume', async () => {
		const { definition, waiting, endpoint } = await startWaiting('c_stuck05');

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint) }, options());

		expect(answer.status).toBe(202);
		expect(answer.resumed).toBeUndefined();
	});

	test('no call within the timeout: n8n resumes it with the snapshot IDs and timed_out, not the input items', async () => {
		const { definition, waiting, jobs } = await startWaiting('c_stuck05');

		const resumed = await resumeAfterWaitTill(definition, waiting.run as IRun, options());

		expect(resumed.status).toBe('success');
		expect(resumed.outputOf(SCRAPER)[0].map(({ json }) => json)).toEqual([
			{ snapshot_ids: [jobs[0].id], ready: false, timed_out: true, status: 'no notification from Bright Data' },
		]);
	});
});
