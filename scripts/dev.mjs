/**
 * npm run dev: a real n8n (the cached install from scripts/n8n) with this package loaded, the
 * Scraper Studio emulator running, a credential pointing at it and the examples imported.
 * Prints the editor URL; Ctrl-C stops everything. Also used by scripts/screenshot.mjs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { startEmulator } from '../emulator/server.ts';
import { ensureN8n } from './n8n/install.mjs';
import { DEFAULT_OWNER, importCredentials, importWorkflow, n8nEnv, setupOwner, startN8n } from './n8n/n8n.mjs';
import { CREDENTIAL_ID, example } from '../test/e2e/workflows.mjs';

const root = join(import.meta.dirname, '..');
const EXAMPLES = ['trigger-and-wait', 'trigger-then-get-dataset', 'run-realtime', 'job-status', 'self-healing-collection', 'create-collector-wait-loop'];

export async function startDevEnvironment({ port = Number(process.env.N8N_PORT ?? 5678), log = console.log } = {}) {
	await ensureN8n({ log: (line) => log(`[n8n install] ${line}`) });
	execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
	const emulator = await startEmulator({ timeScale: 10 });
	const userFolder = mkdtempSync(join(tmpdir(), 'bdss-dev-'));
	const env = n8nEnv({ userFolder, customExtensions: join(root, 'dist'), port, brokerPort: port + 1, extra: { N8N_DEV_RELOAD: 'true' } });
	await importCredentials(
		[{ id: CREDENTIAL_ID, name: 'Bright Data Scraper Studio (emulator)', type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } }],
		env,
	);
	const cleanUp = async () => {
		await emulator.close();
		rmSync(userFolder, { recursive: true, force: true });
	};
	let server;
	const workflows = {};
	try {
		for (const name of EXAMPLES) workflows[name] = await importWorkflow(example(name), env);
		server = await startN8n(env, { timeoutMs: 300_000 }); // a busy machine can need minutes
		await setupOwner(server.url);
	} catch (error) {
		await server?.stop();
		await cleanUp();
		throw error;
	}
	const stop = async () => {
		await server.stop();
		await cleanUp();
	};
	return { url: server.url, emulator, workflows, stop };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const dev = await startDevEnvironment();
	console.log(`\nn8n editor: ${dev.url}  (log in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password})`);
	console.log(`Scraper Studio emulator: ${dev.emulator.url} (credential "Bright Data Scraper Studio (emulator)")`);
	for (const [name, id] of Object.entries(dev.workflows)) console.log(`  ${name}: ${dev.url}/workflow/${id}`);
	console.log('\nCtrl-C stops n8n and the emulator.');
	const shutdown = async () => {
		await dev.stop();
		process.exit(0);
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}
