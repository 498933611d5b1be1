/**
 * End-to-end: examples/self-healing-collection.json in a real n8n server (`n8n start`) against the
 * emulator. The example's Schedule Trigger is swapped for a Webhook trigger of the same name, so
 * the test starts it once, at once. The execution parks at the Wait node; the test reads the
 * answer URL the "Ask for approval" node built from $execution.resumeUrl and approves through it,
 * as the approver would; the execution then resumes, heals, and the second run has the prices.
 * Run: node --import tsx --test test/e2e/selfHealing.test.mjs
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator } from '../../emulator/server.ts';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { freePort, n8nEnv, setupOwner, startN8n } from '../../scripts/n8n/n8n.mjs';
import { copyPackage, N8nRest, outputOf, post } from './server.mjs';
import { example, webhookNode } from './workflows.mjs';

const root = join(import.meta.dirname, '..', '..');
/** 100x: the 8-minute heal reaches its proposal in about 5 s. */
const TIME_SCALE = 100;
const START_TIMEOUT_MS = 240_000;

let emulator;
let scratch;
let server;
let rest;

before(async () => {
	const n8n = await ensureN8n({ log: (line) => console.log(`[n8n install] ${line}`) });
	console.log(`n8n ${n8n.version} ${n8n.reused ? 'reused from' : 'installed into'} ${n8n.dir}`);
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	scratch = mkdtempSync(join(tmpdir(), 'bdss-heal-'));
	const extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));
	emulator = await startEmulator({ timeScale: TIME_SCALE });
	const env = n8nEnv({ userFolder: join(scratch, 'n8n'), customExtensions: extension, port: await freePort(), brokerPort: await freePort() });
	server = await startN8n(env, { timeoutMs: START_TIMEOUT_MS });
	rest = new N8nRest(server.url, await setupOwner(server.url));
});

after(async () => {
	await server?.stop();
	await emulator?.close();
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('self-healing-collection: broken rows → Self-Heal → approval through the resume URL → the second run has prices', { timeout: 300_000 }, async () => {
	const credential = await rest.createCredential({ name: 'Emulator', type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } });
	const workflow = example('self-healing-collection');
	const path = `heal-${randomUUID()}`;
	workflow.nodes = workflow.nodes.map((node) => {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			return { ...webhookNode({ path }), id: node.id, name: node.name, position: node.position };
		}
		return node.credentials ? { ...node, credentials: { brightDataScraperStudioApi: credential } } : node;
	});
	const id = await rest.createActiveWorkflow(workflow);

	assert.equal((await rest.webhook(path, {})).status, 200);
	const [summary] = await rest.waitForExecutions(id, { predicate: ({ status }) => status === 'waiting', timeoutMs: 120_000, what: 'the execution to wait for approval' });
	const waiting = await rest.execution(summary.id);
	assert.deepEqual(outputOf(waiting, 'Scrape products').map(({ price }) => price), [null, null]);
	const [proposal] = outputOf(waiting, 'Self-Heal');
	assert.equal(proposal.awaiting_approval, true);
	assert.deepEqual(proposal.steps_changed, ['extract_price']);
	const [ask] = outputOf(waiting, 'Ask for approval');
	assert.match(ask.answerUrl, new RegExp(`^${server.url}/webhook-waiting/${summary.id}`));

	const answered = await post(ask.answerUrl, { decision: 'approve' });
	assert.equal(answered.status, 200, JSON.stringify(answered.body));
	const done = await rest.waitForStatus(summary.id, ['success', 'error'], { timeoutMs: 120_000 });
	assert.equal(done.status, 'success', JSON.stringify(done.data?.resultData?.error?.message));
	assert.equal(outputOf(done, 'Approve or Reject Heal')[0].status, 'done');
	const prices = outputOf(done, 'Scrape again').map(({ price }) => price);
	assert.equal(prices.length, 2);
	assert.ok(prices.every((price) => typeof price === 'number'), JSON.stringify(prices));
	assert.deepEqual(emulator.requests.filter(({ path: p }) => p.endsWith('/resume_automation_job')).map(({ body }) => body), [{ message: true, auto_save: true }]);
});
