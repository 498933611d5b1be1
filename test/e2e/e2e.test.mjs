/**
 * End-to-end: the built package inside a real n8n (the cached install from scripts/n8n), against
 * the Scraper Studio emulator. Workflows are imported and run with n8n's own CLI.
 * Run with `npm run test:e2e` (node's test runner, with tsx to load the TypeScript emulator).
 * The n8n version is E2E_N8N_VERSION (default: the newest tested); e2e.oldest.test.mjs runs this file on
 * the oldest supported n8n.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator } from '../../emulator/server.ts';
import { ensureN8n, N8N_VERSION, OLDEST_N8N_VERSION, TESTED_N8N_VERSIONS } from '../../scripts/n8n/install.mjs';
import { executeWorkflow, freePort, importCredentials, importWorkflow, n8nEnv } from '../../scripts/n8n/n8n.mjs';
import { copyPackage } from './server.mjs';
import { BAD_CREDENTIAL_ID, CREDENTIAL_ID, example, scraperAfterItems } from './workflows.mjs';

const root = join(import.meta.dirname, '..', '..');
/** Emulated time runs 10x faster: a 20 s job takes 2 s of real time. */
const TIME_SCALE = 10;
const version = process.env.E2E_N8N_VERSION ?? N8N_VERSION;
assert.ok(TESTED_N8N_VERSIONS.includes(version), `E2E_N8N_VERSION=${version} is not one of the tested versions ${TESTED_N8N_VERSIONS}`);

let emulator;
let env;
let scratch;
const HOSTILE_CREDENTIAL_ID = 'brightdata-hostile-peer';
/** A peer that misbehaves on cue (`hostile.behave`), and another host that must never hear from n8n. */
let hostile;
let elsewhere;

/** A tiny HTTP server on 127.0.0.1 that records every request and answers with `behave`. */
async function startPeer(behave = (_request, response) => response.writeHead(500).end()) {
	const peer = { seen: [], behave };
	const server = createServer((request, response) => {
		peer.seen.push({ method: request.method, url: request.url, authorization: request.headers.authorization });
		request.resume();
		request.on('end', () => peer.behave(request, response));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	peer.url = `http://127.0.0.1:${server.address().port}`;
	peer.close = () => {
		server.closeAllConnections();
		return new Promise((resolve) => server.close(resolve));
	};
	return peer;
}

/** Imports a workflow, runs it with `n8n execute`, and returns the shaped result. */
async function run(workflow) {
	const id = await importWorkflow(workflow, env);
	return await executeWorkflow(id, env, { timeoutMs: 180_000 });
}

/** json of every item of a node's output `outputIndex` in a run. */
function outputOf(result, node, outputIndex = 0) {
	const runs = result.data?.data?.resultData?.runData?.[node] ?? [];
	return (runs.at(-1)?.data?.main?.[outputIndex] ?? []).map(({ json }) => json);
}

const triggerCount = () => emulator.count('POST', '/dca/trigger');

before(async () => {
	const n8n = await ensureN8n({ version, log: (line) => console.log(`[n8n install] ${line}`) });
	console.log(`n8n ${n8n.version} ${n8n.reused ? 'reused from' : 'installed into'} ${n8n.dir}`);
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });

	// Outside the repo, like a real install: the package then uses n8n's own n8n-workflow.
	scratch = mkdtempSync(join(tmpdir(), 'bdss-e2e-'));
	const extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));

	emulator = await startEmulator({ timeScale: TIME_SCALE });
	hostile = await startPeer();
	elsewhere = await startPeer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"collection_id":"j_stolen"}'));
	const port = await freePort();
	env = n8nEnv({ userFolder: join(scratch, 'n8n'), customExtensions: extension, port, brokerPort: await freePort(), version });
	await importCredentials(
		[
			{ id: CREDENTIAL_ID, name: CREDENTIAL_ID, type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } },
			{ id: BAD_CREDENTIAL_ID, name: BAD_CREDENTIAL_ID, type: 'brightDataScraperStudioApi', data: { apiToken: 'wrong-token', baseUrl: emulator.url } },
			{ id: HOSTILE_CREDENTIAL_ID, name: HOSTILE_CREDENTIAL_ID, type: 'brightDataScraperStudioApi', data: { apiToken: 'hostile-test-token', baseUrl: hostile.url } },
		],
		env,
	);
});

after(async () => {
	await emulator?.close();
	await hostile?.close();
	await elsewhere?.close();
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe(`the examples in a real n8n ${version}`, () => {
	test('trigger-and-wait: three rows from one trigger call', async () => {
		const before = triggerCount();
		const result = await run(example('trigger-and-wait'));

		assert.equal(result.ok, true, result.error?.message);
		assert.deepEqual(
			outputOf(result, 'Scrape products').map(({ title }) => title),
			['Echo Portable Speaker', 'Nimbus Cloud Storage', 'Aurora Desk Lamp'],
		);
		assert.equal(triggerCount() - before, 1);
	});

	test('trigger-then-get-dataset: the rows after n8n\'s Wait node', async () => {
		const result = await run(example('trigger-then-get-dataset'));

		assert.equal(result.ok, true, result.error?.message);
		assert.equal(outputOf(result, 'Get rows').length, 3);
	});

	test('run-realtime and job-status', async () => {
		const realtime = await run(example('run-realtime'));
		assert.equal(realtime.ok, true, realtime.error?.message);
		assert.equal(outputOf(realtime, 'Scrape in real time').length, 1);

		const job = await run(example('job-status'));
		assert.equal(job.ok, true, job.error?.message);
		assert.match(outputOf(job, 'Get job')[0].id, /^j_/);
	});
});

describe(`several items, failed inputs and errors in a real n8n ${version}`, () => {
	const urls = ['speaker', 'fail-lamp', 'desk'].map((name) => `https://shop.example/product/${name}`);

	test('rows link back to their items; the failed input goes to the "Failed" output', async () => {
		const before = triggerCount();
		const result = await run(scraperAfterItems({ name: 'e2e pairing', urls, parameters: { operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_products01' }, fieldsToSend: 'selected', inputFields: 'url' } }));

		assert.equal(result.ok, true, result.error?.message);
		assert.deepEqual(outputOf(result, 'After'), [
			{ title: 'Speaker', sourceRow: 0 },
			{ title: 'Desk', sourceRow: 2 },
		]);
		const failed = outputOf(result, 'Scraper', 1);
		assert.equal(failed.length, 1);
		assert.deepEqual(failed[0].input, { url: urls[1] });
		assert.ok(failed[0].error_code);
		assert.equal(triggerCount() - before, 1);
	});

	test('a wrong token fails with the 401 explanation and no job', async () => {
		const jobsBefore = emulator.jobs.length;
		const result = await run(scraperAfterItems({ name: 'e2e bad token', urls, credentialId: BAD_CREDENTIAL_ID, parameters: { operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_products01' }, fieldsToSend: 'selected', inputFields: 'url' } }));

		assert.equal(result.ok, false);
		assert.match(result.error.message, /rejected the API token \(401\)/);
		assert.equal(emulator.jobs.length, jobsBefore);
	});

	test('an unknown collector fails with the 404 explanation', async () => {
		const result = await run(scraperAfterItems({ name: 'e2e unknown collector', urls, parameters: { operation: 'trigger', collector: { __rl: true, mode: 'id', value: 'c_doesnotexist' } } }));

		assert.equal(result.ok, false);
		assert.equal(result.error.message, 'Collector "c_doesnotexist" was not found (404)');
	});

	test('a timeout fails naming the snapshot; "Output the Snapshot ID" outputs it instead', async () => {
		const parameters = { operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_stuck05' }, fieldsToSend: 'selected', inputFields: 'url' };
		const failing = await run(scraperAfterItems({ name: 'e2e timeout', urls, linkBack: false, parameters: { ...parameters, options: { timeout: 3, pollInterval: 1 } } }));
		assert.equal(failing.ok, false);
		assert.match(failing.error.message, /^Snapshot "j_\w+" was not ready after 3 s/);

		const output = await run(scraperAfterItems({ name: 'e2e timeout output', urls, linkBack: false, parameters: { ...parameters, options: { timeout: 3, pollInterval: 1, onTimeout: 'output' } } }));
		assert.equal(output.ok, true, output.error?.message);
		const [item] = outputOf(output, 'Scraper');
		assert.equal(item.timed_out, true);
		assert.match(item.snapshot_id, /^j_/);
	});

	test('On Timeout "Cancel the Job and Fail" with one job per input cancels every job and names them all', async () => {
		const jobsBefore = emulator.jobs.length;
		const three = ['https://shop.example/product/a', 'https://shop.example/product/b', 'https://shop.example/product/c'];
		const parameters = {
			operation: 'triggerAndWait',
			collector: { __rl: true, mode: 'id', value: 'c_stuck05' },
			fieldsToSend: 'selected',
			inputFields: 'url',
			options: { timeout: 3, pollInterval: 1, onTimeout: 'cancel', inputsPerJob: 1 },
		};
		const result = await run(scraperAfterItems({ name: 'e2e timeout cancel', urls: three, linkBack: false, parameters }));
		const jobs = emulator.jobs.slice(jobsBefore);

		assert.equal(result.ok, false);
		assert.equal(jobs.length, 3);
		assert.deepEqual(jobs.map(({ status }) => status), ['cancelled', 'cancelled', 'cancelled']);
		assert.match(result.error.message, new RegExp(`; the jobs of snapshots ${jobs.map(({ id }) => id).join(', ')} were cancelled$`));
	});

	test(
		'Resume on Notification on an n8n that gives nodes no execution custom data: refused before any job starts',
		{ skip: version === OLDEST_N8N_VERSION ? false : `n8n ${version} gives nodes custom data (server.test.mjs runs Resume on Notification there)` },
		async () => {
			const jobsBefore = emulator.jobs.length;
			const parameters = { operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_products01' }, waitMode: 'notification', fieldsToSend: 'selected', inputFields: 'url' };
			const result = await run(scraperAfterItems({ name: 'e2e notification without custom data', urls, linkBack: false, parameters }));

			assert.equal(result.ok, false);
			assert.equal(result.error.message, 'Resume on Notification needs a newer n8n');
			assert.equal(emulator.jobs.length, jobsBefore);
		},
	);
});

describe('hostile peers in a real n8n', () => {
	const urls = ['https://shop.example/product/speaker'];
	const waitFor = (options) => ({ operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_products01' }, fieldsToSend: 'selected', inputFields: 'url', options });

	test('a redirect to another host is refused: the token and the inputs never reach it', async () => {
		hostile.behave = (_request, response) => response.writeHead(307, { location: `${elsewhere.url}/dca/trigger?collector=c_products01` }).end();
		const result = await run(scraperAfterItems({ name: 'e2e redirect', urls, linkBack: false, credentialId: HOSTILE_CREDENTIAL_ID, parameters: waitFor({}) }));

		assert.equal(result.ok, false);
		assert.match(result.error.message, /redirected .* to http:\/\/127\.0\.0\.1:\d+\/dca\/trigger; it was not followed/);
		assert.deepEqual(elsewhere.seen, []);
		assert.equal(hostile.seen.filter(({ method }) => method === 'POST').length, 1);
	});

	test('a dataset that trickles a byte at a time ends at the 3 s timeout with "Output the Snapshot ID"', async () => {
		hostile.seen.length = 0;
		hostile.behave = (request, response) => {
			if (request.method === 'POST') {
				response.writeHead(200, { 'content-type': 'application/json' }).end('{"collection_id":"j_trickle"}');
				return;
			}
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('[');
			const timer = setInterval(() => response.write(' '), 100);
			response.on('close', () => clearInterval(timer));
		};
		const result = await run(scraperAfterItems({ name: 'e2e trickle', urls, linkBack: false, credentialId: HOSTILE_CREDENTIAL_ID, parameters: waitFor({ timeout: 3, onTimeout: 'output' }) }));

		assert.equal(result.ok, true, result.error?.message);
		const [item] = outputOf(result, 'Scraper');
		assert.equal(item.snapshot_id, 'j_trickle');
		assert.equal(item.timed_out, true);
		assert.deepEqual(hostile.seen.map(({ method }) => method), ['POST', 'GET']);
	});
});
