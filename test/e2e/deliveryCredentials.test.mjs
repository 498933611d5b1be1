/**
 * Delivery secrets in a real n8n (`n8n start`, SQLite, the built package, the emulator as Bright Data):
 *
 *  - Delivery credentials (S3, webhook Authorization header) are created through n8n's REST API and
 *    selected on a Trigger node; the workflow is saved, then read back with the REST API and with
 *    `n8n export:workflow`: no secret anywhere in the workflow JSON, only the credential's ID.
 *  - n8n stores the credentials encrypted: the secrets are not in the SQLite files in clear (their
 *    names are), and the REST API does not hand the secrets back.
 *  - Running the saved workflow builds `deliver` from the credential (the emulator receives the keys),
 *    and the webhook delivery carries the credential's Authorization header to the receiver.
 *  - An S3 delivery without its credential fails before any request, naming the credential to create.
 *  - Not here: the credentials' Test button. n8n links a credential to the nodes that test it
 *    (`testedBy`) only for installed packages, not for N8N_CUSTOM_EXTENSIONS, which these tests use:
 *    POST /rest/credentials/test answers "No testing function found for this credential." (seen).
 *    test/package.test.ts checks the link n8n's package loader makes; the test functions themselves
 *    run in test/workflow/deliveryCredentials.test.ts.
 *  - In the editor (headless Chromium; skipped without it, except under CI=true): the node shows the S3 credential field for
 *    an S3 delivery and no other delivery credential, and no key fields on the node.
 *
 * Run: node --import tsx --test test/e2e/deliveryCredentials.test.mjs (needs the n8n install: node scripts/n8n/install.mjs --check)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';

import { startEmulator } from '../../emulator/server.ts';
import { ensureN8n } from '../../scripts/n8n/install.mjs';
import { CHROMIUM, skipUnless } from './prerequisites.mjs';
import { DEFAULT_OWNER, freePort, n8nEnv, runCli, setupOwner, startN8n } from '../../scripts/n8n/n8n.mjs';
import { copyPackage, N8nRest, outputOf } from './server.mjs';
import { urlItemsNode, webhookNode } from './workflows.mjs';

const root = join(import.meta.dirname, '..', '..');

const S3_SECRET = `e2eS3secret/${randomUUID()}`;
const WEBHOOK_SECRET = `Bearer e2e-webhook-${randomUUID()}`;
// A node parameter, in clear wherever the workflow is: the control for the searches for secrets.
const BUCKET = `e2e-bucket-${randomUUID()}`;
const NEW_SECRETS = [S3_SECRET, WEBHOOK_SECRET];

let emulator;
let scratch;
let extension;
let receiver;

/** A loopback HTTP server that records the webhook deliveries it gets (gunzipped). */
async function startReceiver() {
	const received = [];
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			received.push({ path: req.url, authorization: req.headers.authorization, body: (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8') });
			res.end('ok');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		received,
		close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
	};
}

before(async () => {
	const n8n = await ensureN8n({ log: (line) => console.log(`[n8n install] ${line}`) });
	console.log(`n8n ${n8n.version} ${n8n.reused ? 'reused from' : 'installed into'} ${n8n.dir}`);
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	scratch = mkdtempSync(join(tmpdir(), 'bdss-delivery-'));
	extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));
	emulator = await startEmulator({ timeScale: 0.001 });
	receiver = await startReceiver();
});

after(async () => {
	await receiver?.close();
	await emulator?.close();
	if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const link = (node) => ({ node, type: 'main', index: 0 });

/** Webhook (POST /webhook/<path>) → Code (one item per body.urls) → Scraper (Trigger, with a delivery). */
function deliveryWorkflow({ name, path, deliver, credentials }) {
	return {
		name,
		nodes: [
			webhookNode({ path }),
			urlItemsNode(),
			{
				id: 'scraper',
				name: 'Scraper',
				type: 'CUSTOM.brightDataScraperStudio',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					resource: 'collection',
					operation: 'trigger',
					collector: { __rl: true, mode: 'id', value: 'c_products01' },
					fieldsToSend: 'selected',
					inputFields: 'url',
					delivery: { deliver },
				},
				credentials,
			},
		],
		connections: { Hook: { main: [[link('Items')]] }, Items: { main: [[link('Scraper')]] } },
	};
}

/** Every file under `dir` (recursively), as bytes. */
function filesUnder(dir) {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [{ path, bytes: readFileSync(path) }];
	});
}

describe('delivery secrets in a real n8n', { timeout: 900_000 }, () => {
	let server;
	let env;
	let rest;
	const userFolder = () => join(scratch, 'n8n');
	const creds = {};
	const ids = {};

	before(async () => {
		const port = await freePort();
		env = n8nEnv({ userFolder: userFolder(), customExtensions: extension, port, brokerPort: await freePort() });
		server = await startN8n(env, { timeoutMs: 240_000 }); // slow when the machine is busy
		rest = new N8nRest(server.url, await setupOwner(server.url));
		creds.api = await rest.createCredential({ name: 'Emulator', type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } });
		creds.s3 = await rest.createCredential({
			name: 'E2E S3 delivery',
			type: 'brightDataScraperStudioS3Api',
			data: { accessKeyId: 'AKIAE2EEXAMPLE000000', secretAccessKey: S3_SECRET },
		});
		creds.webhook = await rest.createCredential({ name: 'E2E webhook delivery', type: 'brightDataScraperStudioWebhookApi', data: { authorizationToken: WEBHOOK_SECRET } });

		ids.s3 = await rest.createActiveWorkflow(
			deliveryWorkflow({
				name: 'Deliver to S3 with a credential',
				path: 'bd-s3',
				deliver: { type: 's3', bucket: BUCKET, region: 'eu-west-1', directory: 'daily', extension: 'json' },
				credentials: { brightDataScraperStudioApi: creds.api, brightDataScraperStudioS3Api: creds.s3 },
			}),
		);
		ids.webhook = await rest.createActiveWorkflow(
			deliveryWorkflow({
				name: 'Deliver to a webhook with an Authorization header',
				path: 'bd-webhook',
				deliver: { type: 'webhook', endpoint: `${receiver.url}/rows`, extension: 'json' },
				credentials: { brightDataScraperStudioApi: creds.api, brightDataScraperStudioWebhookApi: creds.webhook },
			}),
		);
		ids.missing = await rest.createActiveWorkflow(
			deliveryWorkflow({
				name: 'Deliver to S3 without a credential',
				path: 'bd-missing',
				deliver: { type: 's3', bucket: 'no-credential-bucket' },
				credentials: { brightDataScraperStudioApi: creds.api },
			}),
		);
	});

	after(async () => {
		await server?.stop();
	});

	test('the saved workflows, read back through the REST API, hold no delivery secret, only the credentials\' IDs', async () => {
		for (const id of [ids.s3, ids.webhook]) {
			const saved = await rest.call(`/rest/workflows/${id}`);
			const text = JSON.stringify(saved);
			for (const secret of NEW_SECRETS) assert.equal(text.includes(secret), false, `a secret is in workflow ${saved.name}`);
			const scraper = saved.nodes.find(({ name }) => name === 'Scraper');
			assert.deepEqual(Object.keys(scraper.credentials).sort(), ['brightDataScraperStudioApi', id === ids.s3 ? 'brightDataScraperStudioS3Api' : 'brightDataScraperStudioWebhookApi'].sort());
			assert.equal(Object.values(scraper.credentials).every((ref) => Object.keys(ref).sort().join() === 'id,name'), true);
		}
		const s3 = await rest.call(`/rest/workflows/${ids.s3}`);
		assert.deepEqual(s3.nodes.find(({ name }) => name === 'Scraper').parameters.delivery.deliver, {
			type: 's3',
			bucket: BUCKET,
			region: 'eu-west-1',
			directory: 'daily',
			extension: 'json',
		});
	});

	test('`n8n export:workflow` of every workflow: no delivery secret', async () => {
		const output = join(scratch, 'export.json');
		// Its own task broker port: the server holds the one in env.
		const r = await runCli(['export:workflow', '--all', `--output=${output}`], { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		assert.equal(r.code, 0, `export failed: ${r.stderr.slice(-2000)}`);
		const exported = readFileSync(output, 'utf8');
		assert.deepEqual(JSON.parse(exported).map(({ name }) => name).sort(), [
			'Deliver to S3 with a credential',
			'Deliver to S3 without a credential',
			'Deliver to a webhook with an Authorization header',
		]);
		for (const secret of NEW_SECRETS) assert.equal(exported.includes(secret), false);
		// The control: the export holds the node parameters in clear, so it would show a secret if one were there.
		assert.equal(exported.includes(BUCKET), true);
	});

	test('running the S3 workflow sends the credential\'s keys in `deliver`; its execution holds no secret', async () => {
		const jobsBefore = emulator.jobs.length;
		const answer = await rest.webhook('bd-s3', { urls: ['https://shop.example/product/speaker'] });
		assert.equal(answer.status, 200);
		const [execution] = await rest.waitForExecutions(ids.s3, { predicate: (e) => e.status === 'success' || e.status === 'error', what: 'the S3 run' });
		const run = await rest.execution(execution.id);
		assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error ?? {}));
		const [job] = emulator.jobs.slice(jobsBefore);
		assert.deepEqual(job.options.deliver, {
			type: 's3',
			bucket: BUCKET,
			region: 'eu-west-1',
			directory: 'daily',
			credentials: { 'aws-access-key': 'AKIAE2EEXAMPLE000000', 'aws-secret-key': S3_SECRET },
			filename: { extension: 'json' },
			delivery_type: 'deliver_results',
		});
		assert.equal(outputOf(run, 'Scraper')[0].snapshot_id, job.id);
		assert.equal(JSON.stringify(run).includes(S3_SECRET), false, 'the S3 secret is in the saved execution');
	});

	test('running the webhook workflow: the rows reach the webhook with the credential\'s Authorization header', async () => {
		const jobsBefore = emulator.jobs.length;
		await rest.webhook('bd-webhook', { urls: ['https://shop.example/product/speaker', 'https://shop.example/product/desk'] });
		const [execution] = await rest.waitForExecutions(ids.webhook, { predicate: (e) => e.status === 'success' || e.status === 'error', what: 'the webhook run' });
		const run = await rest.execution(execution.id);
		assert.equal(run.status, 'success', JSON.stringify(run.data.resultData.error ?? {}));
		const [job] = emulator.jobs.slice(jobsBefore);
		emulator.finish(job.id);
		await emulator.deliveriesSettled();

		assert.deepEqual(receiver.received.map(({ path, authorization }) => ({ path, authorization })), [{ path: '/rows', authorization: WEBHOOK_SECRET }]);
		assert.equal(JSON.parse(receiver.received[0].body).length, 2);
		assert.equal(JSON.stringify(run).includes(WEBHOOK_SECRET), false);
	});

	test('an S3 delivery without its credential fails before any request, naming the credential and the field to select it in', async () => {
		const jobsBefore = emulator.jobs.length;
		await rest.webhook('bd-missing', { urls: ['https://shop.example/product/speaker'] });
		const [execution] = await rest.waitForExecutions(ids.missing, { predicate: (e) => e.status === 'success' || e.status === 'error', what: 'the run without a credential' });
		const run = await rest.execution(execution.id);
		assert.equal(run.status, 'error');
		const error = run.data.resultData.runData.Scraper?.[0]?.error ?? run.data.resultData.error;
		assert.equal(error?.message, 'Deliver Rows To needs a "Bright Data Scraper Studio: S3 Delivery API" credential');
		assert.match(error?.description ?? '', /Select or create one in the node's field "S3 Delivery Credential"/);
		assert.equal(emulator.jobs.length, jobsBefore, 'a job was started');
	});

	test('n8n hands the secrets back to nobody: the REST API blanks them', async () => {
		const stored = await rest.call(`/rest/credentials/${creds.s3.id}?includeData=true`);
		assert.equal(stored.data.accessKeyId, 'AKIAE2EEXAMPLE000000');
		assert.notEqual(stored.data.secretAccessKey, S3_SECRET);
		assert.equal(JSON.stringify(stored).includes(S3_SECRET), false);
	});

	const chromiumPath = CHROMIUM;
	test('the editor shows the credential of the chosen destination, and no key fields on the node', { skip: skipUnless(existsSync(chromiumPath), `no ${chromiumPath} (apt-get install -y chromium)`) }, async () => {
		const { chromium } = await import('playwright-core');
		const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
		try {
			const page = await browser.newPage({ viewport: { width: 1440, height: 2400 } });
			// The editor's first load is slow on a busy machine.
			page.setDefaultTimeout(120_000);
			await page.goto(`${server.url}/signin`, { waitUntil: 'domcontentloaded' });
			await page.fill('input[name="emailOrLdapLoginId"]', DEFAULT_OWNER.email);
			await page.fill('input[name="password"]', DEFAULT_OWNER.password);
			await page.click('[data-test-id="form-submit-button"]');
			await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
			/** The text of the Scraper node's parameter panel in workflow `id`. */
			const panelText = async (id) => {
				await page.goto(`${server.url}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
				const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Scraper' });
				await node.waitFor();
				await page.waitForLoadState('networkidle');
				await page.keyboard.press('Escape');
				await node.dblclick();
				const parameters = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
				await parameters.waitFor();
				await page.getByText('Deliver Rows To').first().waitFor();
				await page.waitForTimeout(500);
				return await parameters.innerText();
			};
			const s3 = await panelText(ids.s3);
			assert.match(s3, /S3 Delivery Credential/);
			assert.doesNotMatch(s3, /(Webhook|GCS|Azure|SFTP) Delivery Credential/);
			assert.doesNotMatch(s3, /Access Key ID|Secret Access Key/);
			const webhook = await panelText(ids.webhook);
			assert.match(webhook, /Webhook Delivery Credential/);
			assert.doesNotMatch(webhook, /S3 Delivery Credential/);
			const missing = await panelText(ids.missing);
			assert.match(missing, /S3 Delivery Credential/);
			assert.doesNotMatch(missing, /Access Key ID|Secret Access Key/);
		} finally {
			await browser.close();
		}
	});

	test('the SQLite files hold the credentials encrypted: their names in clear, their secrets nowhere', async () => {
		await server.stop(); // flushes the write-ahead log into the database file
		server = undefined;
		const files = filesUnder(join(userFolder(), '.n8n'));
		const sqlite = files.filter(({ path }) => /database\.sqlite/.test(path));
		assert.ok(sqlite.some(({ path }) => path.endsWith('database.sqlite')), `no database.sqlite in ${files.map(({ path }) => path).join(', ')}`);
		const inSqlite = (text) => sqlite.some(({ bytes }) => bytes.includes(text));
		// The controls: the credential rows are in these files (their names are not encrypted) ...
		assert.equal(inSqlite('E2E S3 delivery'), true, `credential name not found in ${sqlite.map(({ path, bytes }) => `${path} (${bytes.length} B)`).join(', ')}`);
		assert.equal(inSqlite('E2E webhook delivery'), true);
		// ... and so are the node parameters, in plain text: what the credentials avoid.
		assert.equal(inSqlite(BUCKET), true);
		for (const { path, bytes } of files) {
			for (const secret of NEW_SECRETS) assert.equal(bytes.includes(secret), false, `${secret.slice(0, 12)}… in clear in ${path}`);
		}
	});
});
