/**
 * End-to-end against a running n8n server (`n8n start`, and in queue mode `n8n worker` + Redis),
 * with the built package loaded and the Scraper Studio emulator as Bright Data:
 *
 *  1. Trigger and Wait, Wait Mode "Resume on Notification": a published workflow started by n8n's
 *     Webhook node parks in the database; the emulator's notify call resumes it through n8n's
 *     /webhook-waiting/ route; forged, foreign, early and replayed calls are refused; with no call,
 *     n8n's wait tracker resumes it with the timeout marker (after a restart of n8n).
 *  2. The Bright Data Scraper Studio Trigger node: rows delivered by the emulator (gzip JSON) start
 *     an execution with one item per row; Header Auth (the secret credential) refuses other calls; a job-finished
 *     notification makes it fetch the rows with the credential.
 *  3. Queue mode (main + one worker with concurrency 1, Redis from Debian): two notification waits
 *     whose jobs overlap both complete on the single slot; two polls run one after the other.
 *
 * The emulator runs at 1/1000 of real time, so no job ends by itself (nor at its deadline): every
 * job ends when a test calls emulator.finish(id), which fires its notify / deliver webhooks.
 * Run: node --import tsx --test --test-concurrency=1 test/e2e/server.test.mjs
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { startEmulator } from '../../emulator/server.ts';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { skipUnless } from './prerequisites.mjs';
import { freePort, login, n8nEnv, setupOwner, startN8n, startWorker } from '../../scripts/n8n/n8n.mjs';
import { ensureRedisServer, findRedisServer, startRedis } from './redis.mjs';
import { copyPackage, gzipJson, N8nRest, outputOf, post, runCounts, setWaitTill, waitFor, workerEvents } from './server.mjs';
import { setNode, urlItemsNode, webhookNode } from './workflows.mjs';

const root = join(import.meta.dirname, '..', '..');
/** The node's grace period after the timeout before n8n resumes a waiting execution on its own. */
const GRACE_SECONDS = 300;
const product = (name) => `https://shop.example/product/${name}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** n8n takes 20-60 s to start; on a busy CI machine (or a shared 2-core box) it can take minutes. */
const START_TIMEOUT_MS = 240_000;

let emulator;
let scratch;
let extension;

before(async () => {
	const n8n = await ensureN8n({ log: (line) => console.log(`[n8n install] ${line}`) });
	console.log(`n8n ${n8n.version} ${n8n.reused ? 'reused from' : 'installed into'} ${n8n.dir}`);
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	// Outside the repo, like a real install: the package then uses n8n's own n8n-workflow.
	scratch = mkdtempSync(join(tmpdir(), 'bdss-server-'));
	extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));
	emulator = await startEmulator({ timeScale: 0.001 });
});

after(async () => {
	await emulator?.close();
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Workflows

const credentialRef = (credential) => ({ brightDataScraperStudioApi: credential });
const collector = (id) => ({ __rl: true, mode: 'id', value: id });
const noOp = (name, x) => ({ id: name.toLowerCase().replace(/\W/g, '-'), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, 0], parameters: {} });
const link = (node, index = 0) => ({ node, type: 'main', index });
/**
 * A Set node that keeps the row's echoed input URL, the URL of the Items item n8n links the row to
 * (item linking), and the URL of the Items item found the way README gives after a resume: by the
 * row's echoed `input`.
 */
const linkCheck = (name, x) =>
	setNode({
		id: name.toLowerCase(),
		name,
		x,
		fields: {
			url: ['={{ $json.input.url }}', 'string'],
			linkedUrl: ["={{ $('Items').item.json.url }}", 'string'],
			matchedUrl: ["={{ $('Items').all().find((item) => item.json.url === $json.input.url).json.url }}", 'string'],
		},
	});

const URL_ITEMS = 'return $json.body.urls.map((url, row) => ({ json: { url, row } }));';

/** Webhook (POST /webhook/<path>, answers at once) → Code (one item per body.urls, or `code`) → Scraper → outputs. */
function scraperWorkflow({ name, path, parameters, credential, outputs = [], outputNode = noOp, code = URL_ITEMS }) {
	const nodes = [
		webhookNode({ path }),
		urlItemsNode(220, code),
		{ id: 'scraper', name: 'Scraper', type: 'CUSTOM.brightDataScraperStudio', typeVersion: 1, position: [440, 0], parameters: { resource: 'collection', ...parameters }, credentials: credentialRef(credential) },
		...outputs.map((output, i) => outputNode(output, 660 + 220 * i)),
	];
	return {
		name,
		nodes,
		connections: {
			Hook: { main: [[link('Items')]] },
			Items: { main: [[link('Scraper')]] },
			...(outputs.length ? { Scraper: { main: outputs.map((output) => [link(output)]) } } : {}),
		},
	};
}

const notificationWait = (collectorId, options = {}) => ({
	operation: 'triggerAndWait',
	collector: collector(collectorId),
	waitMode: 'notification',
	fieldsToSend: 'selected',
	inputFields: 'url',
	options,
});

/** Bright Data Scraper Studio Trigger → NoOp. Its production URL is /webhook/<webhookId>/webhook. */
function triggerWorkflow({ name, parameters, credentials }) {
	const webhookId = randomUUID();
	return {
		webhookId,
		workflow: {
			name,
			nodes: [
				{ id: 'bd-trigger', name: 'Bright Data', type: 'CUSTOM.brightDataScraperStudioTrigger', typeVersion: 1, position: [0, 0], webhookId, parameters, ...(credentials ? { credentials } : {}) },
				noOp('Got rows', 220),
			],
			connections: { 'Bright Data': { main: [[link('Got rows')]] } },
		},
	};
}

/** Starts n8n (regular or queue mode) with the package, the owner, and a credential for the emulator. */
async function startServer({ userFolder, extra = {}, logLevel = 'warn' }) {
	const port = await freePort();
	const env = n8nEnv({ userFolder, customExtensions: extension, port, brokerPort: await freePort(), logLevel, extra });
	const server = await startN8n(env, { timeoutMs: START_TIMEOUT_MS });
	try {
		const rest = new N8nRest(server.url, await setupOwner(server.url));
		const credential = await rest.createCredential({ name: 'Emulator', type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } });
		return { server, env, rest, credential };
	} catch (error) {
		await server.stop();
		throw error;
	}
}

/** The emulator's batch jobs for a collector created after `since` (a jobs count). */
const jobsSince = (since, collectorId) => emulator.jobs.slice(since).filter((job) => job.collector === collectorId);
const notifyUrlOf = (job) => new URL(job.options.notify.endpoint);
const notificationsTo = (snapshotId) => emulator.deliveries.filter((d) => d.kind === 'notify' && d.snapshotId === snapshotId);

// ---------------------------------------------------------------------------------------------
// 1 and 2: one n8n in regular mode

describe('a real n8n server (regular mode)', { timeout: 240_000 }, () => {
	let server;
	let env;
	let rest;
	let credential;
	const userFolder = () => join(scratch, 'n8n-regular');
	const ids = {};
	const trigger = {};

	before(async () => {
		({ server, env, rest, credential } = await startServer({ userFolder: userFolder() }));
		ids.resume = await rest.createActiveWorkflow(
			scraperWorkflow({ name: 'Resume on notification', path: 'bd-resume', credential, parameters: notificationWait('c_products01'), outputs: ['Rows', 'Failed'], outputNode: linkCheck }),
		);
		ids.stuck = await rest.createActiveWorkflow(
			scraperWorkflow({ name: 'No notification', path: 'bd-stuck', credential, parameters: notificationWait('c_stuck05', { timeout: 5 }), outputs: ['After'] }),
		);
		ids.multi = await rest.createActiveWorkflow(
			scraperWorkflow({ name: 'Two jobs', path: 'bd-multi', credential, parameters: notificationWait('c_products01', { inputsPerJob: 2 }), outputs: ['Rows', 'Failed'] }),
		);
		ids.race = await rest.createActiveWorkflow(
			scraperWorkflow({ name: 'Duplicate notifications', path: 'bd-race', credential, parameters: notificationWait('c_products01'), outputs: ['Rows', 'Failed'] }),
		);
		// Trigger node workflows: rows delivered (open, and with Header Auth), job finished + fetch rows.
		const secret = await rest.createCredential({ name: 'Trigger secret', type: 'brightDataScraperStudioTriggerSecretApi', data: { headerName: 'X-E2E-Secret', secret: 'e2e-shared-secret' } });
		for (const [key, name, parameters, credentials] of [
			['delivered', 'Rows delivered', { event: 'rowsDelivered', options: {} }, undefined],
			['secret', 'Rows delivered with a secret', { event: 'rowsDelivered', authentication: 'headerAuth', options: {} }, { brightDataScraperStudioTriggerSecretApi: secret }],
			['finished', 'Job finished, fetch rows', { event: 'jobFinished', fetchRows: true, options: { addMetadata: true } }, credentialRef(credential)],
		]) {
			const { webhookId, workflow } = triggerWorkflow({ name, parameters, credentials });
			trigger[key] = { id: await rest.createActiveWorkflow(workflow), url: `${server.url}/webhook/${webhookId}/webhook` };
		}
		// Starts a job with the main node's Trigger operation, delivering rows and notifying the trigger workflows.
		ids.deliver = await rest.createActiveWorkflow(
			scraperWorkflow({
				name: 'Trigger with delivery',
				path: 'bd-deliver',
				credential,
				parameters: {
					operation: 'trigger',
					collector: collector('c_products01'),
					fieldsToSend: 'selected',
					inputFields: 'url',
					delivery: { deliver: { type: 'webhook', endpoint: trigger.delivered.url, extension: 'json' }, notify: { type: 'webhook', endpoint: trigger.finished.url } },
				},
			}),
		);
	});

	after(async () => {
		await server?.stop();
	});

	describe('Trigger and Wait, Resume on Notification', () => {
		const urls = [product('speaker'), product('fail-lamp'), product('desk')];
		const state = {};

		test('the execution parks in the database; the job carries its resume URL, a token and the timeout as deadline', async () => {
			const jobsBefore = emulator.jobs.length;
			assert.equal((await rest.webhook('bd-resume', { urls })).status, 200);
			assert.equal((await rest.webhook('bd-stuck', { urls: [product('stuck')] })).status, 200);

			const [resume] = await rest.waitForExecutions(ids.resume, { predicate: (e) => e.status === 'waiting', what: 'the resume execution to wait' });
			const [stuck] = await rest.waitForExecutions(ids.stuck, { predicate: (e) => e.status === 'waiting', what: 'the stuck execution to wait' });
			state.resume = resume;
			state.stuck = stuck;
			assert.equal(resume.mode, 'webhook');

			// One job of three inputs, notify = <N8N_WEBHOOK_URL>webhook-waiting/<execution>/<node id>?signature=…&brightdata=…
			const [job] = jobsSince(jobsBefore, 'c_products01');
			assert.deepEqual(job.inputs, urls.map((url) => ({ url })));
			assert.equal(emulator.job(job.id).finished, null);
			const notify = notifyUrlOf(job);
			assert.equal(`${notify.origin}${notify.pathname}`, `${server.url}/webhook-waiting/${resume.id}/scraper`);
			assert.match(notify.searchParams.get('signature'), /^[0-9a-f]{64}$/);
			assert.match(notify.searchParams.get('brightdata'), /^[0-9a-f]{32}$/);
			assert.equal(job.options.deadline, '900s');
			state.job = job;

			// The stuck one: wakes up after its timeout (5 s) + 300 s, and its stored input is the timeout marker.
			const [stuckJob] = jobsSince(jobsBefore, 'c_stuck05');
			state.stuckJob = stuckJob;
			assert.equal(stuckJob.options.deadline, '5s');
			const wait = (Date.parse(stuck.waitTill) - Date.parse(stuck.startedAt)) / 1000;
			const ran = (Date.parse(stuck.stoppedAt) - Date.parse(stuck.startedAt)) / 1000;
			assert.ok(wait >= 5 + GRACE_SECONDS && wait <= 5 + GRACE_SECONDS + ran + 1, `waitTill is ${wait} s after the start (ran ${ran} s)`);
			const stored = await rest.execution(stuck.id);
			const [entry] = stored.data.executionData.nodeExecutionStack;
			assert.equal(entry.node.name, 'Scraper');
			assert.deepEqual(entry.data.main[0].map(({ json }) => json), [
				{ snapshot_ids: [stuckJob.id], ready: false, timed_out: true, status: 'no notification from Bright Data' },
			]);
			// The wait state is in the execution's custom data (stored as resultData.metadata).
			// The nonce's hash and the snapshot ID: one value within n8n's 255 characters, without the nonce itself.
			assert.deepEqual(Object.keys(JSON.parse(stored.data.resultData.metadata.brightdata_wait)), ['nonce_sha256', 'snapshot_id']);
			assert.deepEqual(JSON.parse(stored.data.resultData.metadata.brightdata_wait).snapshot_id, stuckJob.id);
		});

		test('forged, foreign and early calls are refused and do not resume it', async () => {
			const { job, resume } = state;
			const url = notifyUrlOf(job);
			const withParam = (name, value) => {
				const copy = new URL(url);
				if (value === undefined) copy.searchParams.delete(name);
				else copy.searchParams.set(name, value);
				return copy;
			};
			const body = { collection_id: job.id, snapshot_id: job.id, status: 'done' };

			// Wrong or missing node token: the node answers 401. Wrong n8n signature: n8n itself answers 401.
			assert.deepEqual(await post(withParam('brightdata', '0'.repeat(32)), body), { status: 401, body: { error: 'Invalid token' } });
			assert.deepEqual(await post(withParam('brightdata', undefined), body), { status: 401, body: { error: 'Invalid token' } });
			assert.equal((await post(withParam('signature', 'f'.repeat(64)), body)).status, 401);
			// Another snapshot: 409. The right call before the snapshot is ready: 202, keep waiting.
			assert.deepEqual(await post(url, { ...body, collection_id: 'j_someoneelse', snapshot_id: 'j_someoneelse' }), {
				status: 409,
				body: { error: 'Snapshot j_someoneelse does not belong to this execution' },
			});
			assert.deepEqual(await post(url, body), { status: 202, body: { error: `Waiting for snapshot ${job.id}` } });

			const [still] = await rest.executions(ids.resume);
			assert.equal(still.status, 'waiting');
			assert.equal(still.waitTill, resume.waitTill);
			assert.equal((await rest.executions(ids.resume)).length, 1);
			assert.deepEqual(runCounts(await rest.execution(resume.id)), { Hook: 1, Items: 1, Scraper: 1 });
		});

		test('waiting executions survive a restart; with no call at all, n8n resumes it with the timeout marker, not rows', async () => {
			// n8n's wait tracker resumes an execution at its waitTill (checked every 60 s and at start).
			// Waiting 305 s is too slow for a test, so n8n is stopped, the stuck execution's waitTill
			// (checked above to be start + 5 s + 300 s) is moved to now, and n8n is started again.
			await server.stop();
			const moved = setWaitTill(userFolder(), state.stuck.id, new Date());
			assert.ok(moved.before);
			server = await startN8n(env, { timeoutMs: START_TIMEOUT_MS });
			rest = new N8nRest(server.url, await login(server.url));

			const done = await rest.waitForStatus(state.stuck.id, 'success', { timeoutMs: 30_000 });
			const marker = { snapshot_ids: [state.stuckJob.id], ready: false, timed_out: true, status: 'no notification from Bright Data' };
			assert.deepEqual(outputOf(done, 'Scraper'), [marker]);
			assert.deepEqual(outputOf(done, 'After'), [marker]);
			assert.deepEqual(runCounts(done), { Hook: 1, Items: 1, Scraper: 1, After: 1 });
			// No notification came and none was needed; the only dataset read is the check before it parked.
			assert.equal(notificationsTo(state.stuckJob.id).length, 0);
			assert.equal(emulator.requests.filter((r) => r.path === '/dca/dataset' && r.query.id === state.stuckJob.id).length, 1);

			// The other one is still waiting after the restart.
			assert.equal((await rest.executions(ids.resume))[0].status, 'waiting');
		});

		test('the notification resumes it: rows in input order, the failed input on "Failed"', async () => {
			const { job, resume } = state;
			emulator.finish(job.id);
			await emulator.deliveriesSettled();
			const [notification] = notificationsTo(job.id);
			assert.equal(notification.outcome, 'sent');
			assert.equal(notification.status, 200);

			const done = await rest.waitForStatus(resume.id, 'success');
			state.done = done;
			assert.deepEqual(outputOf(done, 'Scraper').map(({ title, input }) => [title, input.url]), [
				['Speaker', urls[0]],
				['Desk', urls[2]],
			]);
			const failed = outputOf(done, 'Scraper', 1);
			assert.deepEqual(failed.map(({ input, error_code }) => [input.url, error_code]), [[urls[1], 'crawl_error']]);
			assert.deepEqual(outputOf(done, 'Rows').map(({ url }) => url), [urls[0], urls[2]]);
			assert.deepEqual(outputOf(done, 'Failed').map(({ url }) => url), [urls[1]]);
			assert.deepEqual(runCounts(done), { Hook: 1, Items: 1, Scraper: 1, Rows: 1, Failed: 1 });
			assert.equal((await rest.executions(ids.resume)).length, 1);
		});

		test('a replayed notification after completion is refused (409) and adds nothing', async () => {
			const { job, resume, done } = state;
			const replay = await post(notifyUrlOf(job), { collection_id: job.id, snapshot_id: job.id, status: 'done' });
			assert.equal(replay.status, 409);
			assert.match(replay.body.message, /has finished already/);
			await sleep(500);

			const executions = await rest.executions(ids.resume);
			assert.equal(executions.length, 1);
			const again = await rest.execution(resume.id);
			assert.equal(again.status, 'success');
			assert.equal(again.stoppedAt, done.stoppedAt);
			assert.deepEqual(runCounts(again), runCounts(done));
		});

		test("item links after the resume: n8n renumbers the resumed node's rows by position; each row is matched to its Items item by its echoed input", async () => {
			const { done } = state;
			const rows = outputOf(done, 'Rows');
			const failed = outputOf(done, 'Failed');
			// The documented way (README, Waiting): $json.input against the incoming items, on both outputs.
			for (const { url, matchedUrl } of [...rows, ...failed]) assert.equal(matchedUrl, url);
			assert.deepEqual([...rows, ...failed].map(({ url }) => url), [urls[0], urls[2], urls[1]]);
			// n8n's own links, pinned so that a change in n8n shows here: the resumed node runs disabled and
			// passes on what the webhook returned, renumbered by position (addPairedItemLineage in n8n-core's
			// WorkflowExecute); its task keeps the one input source it parked with. So the second row points
			// at the second item, and the "Failed" row at an input the node does not have.
			assert.deepEqual(rows.map(({ linkedUrl }) => linkedUrl), [urls[0], urls[1]]);
			assert.deepEqual(failed.map(({ linkedUrl }) => linkedUrl), [null]);
			const [scraper] = done.data.resultData.runData.Scraper;
			assert.deepEqual(scraper.data.main.map((output) => output.map(({ pairedItem }) => pairedItem)), [[{ item: 0 }, { item: 1 }], [{ item: 0, input: 1 }]]);
			assert.deepEqual(scraper.source.map(({ previousNode }) => previousNode), ['Items']);
		});

		test('several jobs are refused before any job starts: the wait state holds one snapshot ID of up to 128 characters', async () => {
			const jobsBefore = emulator.jobs.length;
			const four = [product('speaker'), product('fail-two'), product('desk'), product('lamp')];
			assert.equal((await rest.webhook('bd-multi', { urls: four })).status, 200);

			const [failed] = await rest.waitForExecutions(ids.multi, { predicate: (e) => e.status === 'error', what: 'the execution to fail' });
			const done = await rest.execution(failed.id);
			assert.equal(done.data.resultData.error.message, 'Resume on Notification waits for one job; this run needs 2');
			assert.equal(emulator.jobs.length, jobsBefore);
		});

		test('the same notification three times at once resumes the execution once', async (t) => {
			const jobsBefore = emulator.jobs.length;
			assert.equal((await rest.webhook('bd-race', { urls: [product('lamp')] })).status, 200);
			const [waiting] = await rest.waitForExecutions(ids.race, { predicate: (e) => e.status === 'waiting' });
			const [job] = jobsSince(jobsBefore, 'c_products01');
			const body = { collection_id: job.id, snapshot_id: job.id, status: 'done' };

			// The emulator's own notification, and two copies of it, at the same moment.
			emulator.finish(job.id);
			const copies = await Promise.all([post(notifyUrlOf(job), body), post(notifyUrlOf(job), body)]);
			await emulator.deliveriesSettled();
			const statuses = [notificationsTo(job.id)[0].status, ...copies.map(({ status }) => status)];

			t.diagnostic(`answers to the three calls: ${statuses.join(', ')}; ${JSON.stringify(copies.map(({ body }) => body))}`);

			const done = await rest.waitForStatus(waiting.id, 'success');
			await sleep(1000);
			assert.equal(statuses.filter((status) => status === 200).length, 1, `answers: ${statuses.join(', ')}`);
			// (No failed input, so the "Failed" branch does not run.)
			assert.deepEqual(runCounts(await rest.execution(waiting.id)), { Hook: 1, Items: 1, Scraper: 1, Rows: 1 });
			assert.deepEqual(outputOf(done, 'Rows').map(({ title }) => title), ['Lamp']);
			assert.equal((await rest.executions(ids.race)).length, 1);
		});
	});

	describe('Bright Data Scraper Studio Trigger', () => {
		const urls = [product('speaker'), product('fail-lamp'), product('desk')];
		const state = {};

		test('Rows Delivered: a Trigger with Delivery → the gzip JSON rows start one execution, one item per row', async () => {
			const jobsBefore = emulator.jobs.length;
			assert.equal((await rest.webhook('bd-deliver', { urls })).status, 200);
			const [started] = await rest.waitForExecutions(ids.deliver, { predicate: (e) => e.status === 'success' });
			const [job] = jobsSince(jobsBefore, 'c_products01');
			state.job = job;
			assert.equal(outputOf(await rest.execution(started.id), 'Scraper')[0].snapshot_id, job.id);
			assert.equal(job.options.deliver.endpoint, trigger.delivered.url);
			assert.equal(job.options.notify.endpoint, trigger.finished.url);
			assert.deepEqual(await rest.executions(trigger.delivered.id), []);

			emulator.finish(job.id);
			await emulator.deliveriesSettled();
			const calls = emulator.deliveries.filter((d) => d.snapshotId === job.id).map(({ kind, endpoint, status }) => ({ kind, endpoint, status }));
			assert.deepEqual(calls, [
				{ kind: 'deliver', endpoint: trigger.delivered.url, status: 200 },
				{ kind: 'notify', endpoint: trigger.finished.url, status: 200 },
			]);

			const [execution] = await rest.waitForExecutions(trigger.delivered.id, { predicate: (e) => e.status === 'success' });
			const rows = outputOf(await rest.execution(execution.id), 'Bright Data');
			assert.deepEqual(rows.map(({ input }) => input.url), urls);
			assert.deepEqual(rows.map(({ title, error_code }) => title ?? error_code), ['Speaker', 'crawl_error', 'Desk']);
		});

		test('Job Finished + Fetch Rows: the notification makes the node fetch the rows with the credential', async () => {
			const { job } = state;
			const [execution] = await rest.waitForExecutions(trigger.finished.id, { predicate: (e) => e.status === 'success' });
			const rows = outputOf(await rest.execution(execution.id), 'Bright Data');
			assert.deepEqual(rows.map(({ input }) => input.url), urls);
			assert.deepEqual(new Set(rows.map(({ _brightdata }) => `${_brightdata.event} ${_brightdata.snapshot_id}`)), new Set([`jobFinished ${job.id}`]));
			// The emulator checks the token on every request: the rows came with the credential's.
			const fetches = emulator.requests.filter((r) => r.path === '/dca/dataset' && r.query.id === job.id);
			assert.ok(fetches.length >= 1);
			assert.equal(fetches.at(-1).status, 200);
		});

		test('Header Auth: the credential\'s secret starts an execution; a wrong or missing one gets 401 and starts nothing; the workflow holds no secret', async () => {
			const rows = [
				{ title: 'One', url: product('one'), input: { url: product('one') } },
				{ title: 'Two', url: product('two'), input: { url: product('two') } },
			];
			const gzip = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
			const { url, id } = trigger.secret;

			// The secret is in the credential only: not in the stored workflow (what exports and version history keep).
			const stored = JSON.stringify(await rest.call(`/rest/workflows/${id}`));
			assert.ok(stored.includes('brightDataScraperStudioTriggerSecretApi') && !stored.includes('e2e-shared-secret'));

			assert.equal((await post(url, gzipJson(rows), { ...gzip, 'x-e2e-secret': 'wrong' })).status, 401);
			assert.equal((await post(url, gzipJson(rows), { ...gzip, 'x-webhook-secret': 'e2e-shared-secret' })).status, 401);
			assert.equal((await post(url, gzipJson(rows), { ...gzip, authorization: 'Bearer wrong' })).status, 401);
			assert.equal((await post(url, gzipJson(rows), gzip)).status, 401);
			// Bright Data's own delivery without the secret (straight to the emulator's API, deliver = this URL).
			const triggered = await post(
				`${emulator.url}/dca/trigger?collector=c_products01&deliver=${encodeURIComponent(JSON.stringify({ type: 'webhook', endpoint: url }))}`,
				[{ url: product('x') }],
				{ authorization: `Bearer ${emulator.token}` },
			);
			assert.equal(triggered.status, 200);
			emulator.finish(triggered.body.collection_id);
			await emulator.deliveriesSettled();
			assert.equal(emulator.deliveries.find((d) => d.snapshotId === triggered.body.collection_id)?.status, 401);
			await sleep(1000);
			assert.deepEqual(await rest.executions(id), []);

			assert.equal((await post(url, gzipJson(rows), { ...gzip, 'x-e2e-secret': 'e2e-shared-secret' })).status, 200);
			const [execution] = await rest.waitForExecutions(id, { predicate: (e) => e.status === 'success' });
			assert.deepEqual(outputOf(await rest.execution(execution.id), 'Bright Data'), rows);
			await sleep(500);
			assert.equal((await rest.executions(id)).length, 1);
		});

		test('a gzip body without Content-Encoding that inflates past 16 MB gets 413 naming Max Body Size, and starts nothing', async () => {
			const { url, id } = trigger.delivered;
			const before = (await rest.executions(id)).length;
			// About 150 KB that inflates to 32 MB of rows: n8n passes it on compressed, the node inflates it.
			const row = `{"title":"${'x'.repeat(200)}","price":1},`;
			const bomb = gzipSync(`[${row.repeat(Math.ceil((32 * 1024 * 1024) / row.length))}{"end":true}]`);
			assert.ok(bomb.length < 200_000);
			const answer = await post(url, bomb, { 'content-type': 'application/octet-stream' });
			assert.equal(answer.status, 413);
			assert.equal(answer.body.error, 'Payload Too Large');
			assert.match(answer.body.message, /larger than 16 MB once decompressed, the limit set in the trigger node's "Max Body Size \(MB\)" option/);
			await sleep(1000);
			assert.equal((await rest.executions(id)).length, before);
		});
	});
});

// ---------------------------------------------------------------------------------------------
// 3: queue mode

const mayInstallRedis = process.getuid?.() === 0;
const queueSkip = skipUnless(findRedisServer() || mayInstallRedis, 'redis-server is not installed (apt-get install redis-server; the test installs it itself with CI=true or as root)');

describe('queue mode: n8n main + one worker (concurrency 1) + Redis', { timeout: 900_000, skip: queueSkip }, () => {
	let redis;
	let server;
	let worker;
	let workerEnv;
	let rest;
	const ids = {};

	before(async () => {
		const bin = ensureRedisServer({ log: (line) => console.log(`[redis] ${line}`) });
		redis = await startRedis({ bin, port: await freePort() });
		const userFolder = join(scratch, 'n8n-queue');
		const queue = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// A dead worker's job is noticed after its lock lapses (default 60 s, checked every 30 s): shorter here.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
		};
		const main = await startServer({ userFolder, extra: queue });
		({ server, rest } = main);
		const credential = main.credential;
		ids.notify = await rest.createActiveWorkflow(
			scraperWorkflow({ name: 'Queue: resume on notification', path: 'bd-queue', credential, parameters: notificationWait('c_products01'), outputs: ['Rows', 'Failed'] }),
		);
		ids.poll = await rest.createActiveWorkflow(
			scraperWorkflow({
				name: 'Queue: poll',
				path: 'bd-poll',
				credential,
				parameters: { ...notificationWait('c_products01', { pollInterval: 1, timeout: 120 }), waitMode: 'poll' },
				outputs: ['Rows', 'Failed'],
			}),
		);
		ids.longPoll = await rest.createActiveWorkflow(
			scraperWorkflow({
				name: 'Queue: long poll',
				path: 'bd-long-poll',
				credential,
				parameters: { ...notificationWait('c_products01', { pollInterval: 1, timeout: 600 }), waitMode: 'poll' },
				outputs: ['Rows', 'Failed'],
			}),
		);
		ids.collect = await rest.createActiveWorkflow(
			scraperWorkflow({
				name: 'Queue: collect a snapshot',
				path: 'bd-collect',
				credential,
				code: 'return $json.body.snapshots.map((snapshot_id) => ({ json: { snapshot_id } }));',
				parameters: { operation: 'getDataset', snapshotId: '={{ $json.snapshot_id }}', waitUntilReady: true, options: { pollInterval: 1, timeout: 120, failedRows: 'separate' } },
				outputs: ['Rows', 'Failed'],
			}),
		);
		// Same user folder (SQLite), encryption key and webhook URL as main; its own task broker and health port.
		workerEnv = n8nEnv({
			userFolder,
			customExtensions: extension,
			port: Number(main.env.N8N_PORT),
			brokerPort: await freePort(),
			logLevel: 'info',
			extra: { ...queue, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
		});
		worker = await startWorker(workerEnv, { concurrency: 1, timeoutMs: START_TIMEOUT_MS });
		assert.match(worker.output(), /Concurrency: 1/);
	});

	after(async () => {
		await worker?.stop();
		await server?.stop();
		await redis?.stop();
	});

	/** An execution's custom data as n8n stored it (execution_metadata: what the editor shows and filters by). */
	const storedCustomData = async (id) => (await rest.call(`/rest/executions/${id}`)).customData;

	/** At no point did the worker run two executions at once. */
	function assertOneAtATime(events) {
		let running = 0;
		for (const { event } of events) {
			running += event === 'started' ? 1 : -1;
			assert.ok(running === 0 || running === 1, `worker ran ${running} executions at once: ${JSON.stringify(events)}`);
		}
	}

	test('two Resume-on-Notification executions whose jobs overlap both complete on the one worker slot', async () => {
		const jobsBefore = emulator.jobs.length;
		const first = [product('speaker'), product('fail-first')];
		const second = [product('desk'), product('lamp')];
		assert.equal((await rest.webhook('bd-queue', { urls: first })).status, 200);
		assert.equal((await rest.webhook('bd-queue', { urls: second })).status, 200);

		const waiting = await rest.waitForExecutions(ids.notify, { count: 2, predicate: (e) => e.status === 'waiting', what: 'both executions to wait' });
		const jobs = jobsSince(jobsBefore, 'c_products01');
		assert.equal(jobs.length, 2);
		// Both jobs are running at Bright Data at the same time, and the worker's one slot is free.
		assert.ok(jobs.every((job) => emulator.job(job.id).finished === null));
		const before = workerEvents(worker.output()).filter(({ executionId }) => waiting.some((e) => e.id === executionId));
		assert.equal(before.length, 4, JSON.stringify(before));
		assertOneAtATime(before);

		for (const job of jobs) emulator.finish(job.id);
		await emulator.deliveriesSettled();
		assert.deepEqual(jobs.map((job) => notificationsTo(job.id)[0]?.status), [200, 200]);

		const byInputs = new Map();
		for (const { id } of waiting) {
			const done = await rest.waitForStatus(id, 'success');
			byInputs.set(JSON.stringify([...outputOf(done, 'Scraper'), ...outputOf(done, 'Scraper', 1)].map(({ input }) => input.url).sort()), done);
		}
		const firstDone = byInputs.get(JSON.stringify([...first].sort()));
		const secondDone = byInputs.get(JSON.stringify([...second].sort()));
		assert.ok(firstDone && secondDone, 'each execution got the rows of its own job');
		assert.deepEqual(outputOf(firstDone, 'Scraper').map(({ title }) => title), ['Speaker']);
		assert.deepEqual(outputOf(firstDone, 'Scraper', 1).map(({ error_code }) => error_code), ['crawl_error']);
		assert.deepEqual(outputOf(secondDone, 'Scraper').map(({ title }) => title), ['Desk', 'Lamp']);

		// Each execution ran twice on the worker (until the wait, after the resume), never two at once.
		const events = workerEvents(worker.output()).filter(({ executionId }) => waiting.some((e) => e.id === executionId));
		for (const { id } of waiting) assert.equal(events.filter((e) => e.executionId === id && e.event === 'started').length, 2);
		assertOneAtATime(events);
	});

	test('Poll mode on the same slot: the second execution starts only after the first has finished', async (t) => {
		const jobsBefore = emulator.jobs.length;
		assert.equal((await rest.webhook('bd-poll', { urls: [product('first')] })).status, 200);
		const [first] = await rest.waitForExecutions(ids.poll, { predicate: (e) => e.status === 'running', what: 'the first poll to run' });
		assert.equal((await rest.webhook('bd-poll', { urls: [product('second')] })).status, 200);
		await waitFor('the first poll job', () => jobsSince(jobsBefore, 'c_products01').length === 1);

		// The first one polls and holds the slot: the second stays queued and has started no job.
		await sleep(3000);
		const queued = (await rest.executions(ids.poll)).find(({ id }) => id !== first.id);
		t.diagnostic(`while the first polls, the second is "${queued?.status}"`);
		assert.ok(queued && !['running', 'success'].includes(queued.status), `second execution is ${queued?.status}`);
		assert.equal(jobsSince(jobsBefore, 'c_products01').length, 1);

		emulator.finish(jobsSince(jobsBefore, 'c_products01')[0].id);
		const firstDone = await rest.waitForStatus(first.id, 'success');
		const secondJob = await waitFor('the second poll job', () => jobsSince(jobsBefore, 'c_products01')[1]);
		emulator.finish(secondJob.id);
		const secondDone = await rest.waitForStatus(queued.id, 'success');

		assert.deepEqual(outputOf(firstDone, 'Scraper').map(({ title }) => title), ['First']);
		assert.deepEqual(outputOf(secondDone, 'Scraper').map(({ title }) => title), ['Second']);
		assert.ok(Date.parse(secondDone.startedAt) >= Date.parse(firstDone.stoppedAt), `second started ${secondDone.startedAt}, first stopped ${firstDone.stoppedAt}`);
		const events = workerEvents(worker.output()).filter(({ executionId }) => [first.id, queued.id].includes(executionId));
		assert.deepEqual(events.map(({ event, executionId }) => `${event} ${executionId === first.id ? 'first' : 'second'}`), [
			'started first',
			'finished first',
			'started second',
			'finished second',
		]);
	});

	test('a worker killed (SIGKILL) while Trigger and Wait polls: the snapshot ID is in its log (not in the execution); Get Dataset + Wait Until Ready collects every row, no job billed again', async (t) => {
		const urls = [product('speaker'), product('fail-crash'), product('desk')];
		const jobsBefore = emulator.jobs.length;
		const statusChecks = (id) => emulator.requests.filter(({ path, query }) => path === '/dca/dataset' && query.id === id).length;
		const triggers = () => emulator.count('POST', '/dca/trigger');
		assert.equal((await rest.webhook('bd-long-poll', { urls })).status, 200);
		const [execution] = await rest.waitForExecutions(ids.longPoll, { predicate: (e) => e.status === 'running', what: 'the poll to run' });
		const job = await waitFor('the job', () => jobsSince(jobsBefore, 'c_products01')[0]);
		await waitFor('two status checks', () => statusChecks(job.id) >= 2, { timeoutMs: 60_000 });
		const billed = triggers();

		// The crash: the worker's whole process group at once, no clean-up (an OOM kill, a pulled container).
		const killed = worker;
		worker = undefined;
		process.kill(-killed.pid, 'SIGKILL');
		assert.equal((await killed.exited).signal, 'SIGKILL');

		// 1. The worker's log (level info) named the job as soon as Bright Data accepted it.
		const started = `Bright Data: job started, snapshot ${job.id} (collector c_products01, 3 inputs; node "Scraper", execution ${execution.id})`;
		assert.ok(killed.output().includes(started), `the worker's log lacks: ${started}`);

		// 2. A new worker: n8n fails the dead worker's job once its lock lapses (n8n 2.x retries no
		//    stalled job), so the execution is not run again and starts no second job.
		worker = await startWorker(workerEnv, { concurrency: 1, timeoutMs: START_TIMEOUT_MS });
		const ended = await rest.waitForStatus(execution.id, ['error', 'crashed'], { timeoutMs: 120_000 });
		t.diagnostic(`the killed execution ends "${ended.status}": ${ended.data?.resultData?.error?.message}`);
		assert.equal(triggers(), billed, 'n8n ran the killed execution again and started a second job');
		// n8n saves custom data when an execution ends on its worker; a killed worker never gets there,
		// so the execution keeps no snapshot ID: the log line above is the record.
		assert.equal(ended.data?.resultData?.metadata?.brightdata_snapshot_ids, undefined);
		assert.deepEqual(await storedCustomData(execution.id), {});

		// 3. Get Dataset + Wait Until Ready, given the ID from the log: waits for the job, then every row.
		const statusChecksBefore = statusChecks(job.id);
		assert.equal((await rest.webhook('bd-collect', { snapshots: [job.id] })).status, 200);
		const [collect] = await rest.waitForExecutions(ids.collect, { predicate: (e) => e.status === 'running', what: 'Get Dataset to run' });
		await waitFor('Get Dataset to find the job still running', () => statusChecks(job.id) > statusChecksBefore, { timeoutMs: 60_000 });
		emulator.finish(job.id);
		const collected = await rest.waitForStatus(collect.id, 'success', { timeoutMs: 120_000 });
		assert.deepEqual(outputOf(collected, 'Scraper').map(({ input }) => input.url), [urls[0], urls[2]]);
		assert.deepEqual(outputOf(collected, 'Scraper', 1).map(({ input, error_code }) => [input.url, Boolean(error_code)]), [[urls[1], true]]);
		assert.equal(triggers(), billed, 'Get Dataset started a job');
		assert.match(worker.output(), new RegExp(`Bright Data: snapshot ${job.id} ready: 3 rows \\(1 failed input\\) after \\d+ s and \\d+ status checks? \\(node "Scraper", execution ${collect.id}\\)`));

		// 4. An execution that ends on its worker keeps its snapshot IDs in its custom data. (Filtering the
		//    executions list by them needs n8n's advanced execution filters, which this unlicensed n8n lacks.)
		const jobsNow = emulator.jobs.length;
		assert.equal((await rest.webhook('bd-long-poll', { urls: [product('lamp')] })).status, 200);
		const next = await waitFor('the next job', () => jobsSince(jobsNow, 'c_products01')[0], { timeoutMs: 60_000 });
		emulator.finish(next.id);
		const [, finished] = await rest.waitForExecutions(ids.longPoll, { count: 2, predicate: (e) => e.id === execution.id || e.status === 'success', timeoutMs: 120_000 });
		assert.deepEqual(await storedCustomData(finished.id), { brightdata_snapshot_ids: next.id, brightdata_jobs: '1' });
	});
});
