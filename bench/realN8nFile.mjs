/**
 * The File output's memory in a real n8n: `n8n execute` of Get Dataset → Output: File (JSON) for a
 * dataset of `--mb` MB (the emulator's huge answer), peak RSS of the n8n process from
 * /usr/bin/time, minus the same run for a 1 KB dataset; per tested n8n version and per
 * N8N_DEFAULT_BINARY_DATA_MODE (unset = n8n's default, `default` = in memory, `filesystem`).
 * A few minutes: each run starts n8n.
 * `--row-bytes=4000` makes rows of about 4 KB (default 1 KB). `--operation=triggerAndWait` runs Trigger and Wait (one job, Poll) instead of Get Dataset.
 * Run: node --import tsx bench/realN8nFile.mjs [--mb=20] [--versions=2.8.4,2.41.1] [--modes=unset,default,filesystem] [--operation=getDataset]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator } from '../emulator/server.ts';
import { copyPackage } from '../test/e2e/server.mjs';
import { ensureN8n, TESTED_N8N_VERSIONS } from '../scripts/n8n/install.mjs';
import { freePort, importCredentials, importWorkflow, n8nEnv, n8nPaths, parseRawOutput } from '../scripts/n8n/n8n.mjs';

const root = join(import.meta.dirname, '..');
const flag = (name, fallback) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const mb = Number(flag('mb', '20'));
const versions = flag('versions', TESTED_N8N_VERSIONS.join(',')).split(',');
const modes = flag('modes', 'unset,default,filesystem').split(',');
const operation = flag('operation', 'getDataset');
const rowBytes = Number(flag('row-bytes', '1000'));
const CREDENTIAL_ID = 'brightdata-bench';

const workflow = (snapshotId) => ({
	name: `File output ${snapshotId}`,
	nodes: [
		{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'url', name: 'URL', type: 'n8n-nodes-base.code', typeVersion: 2, position: [110, 0], parameters: { jsCode: "return [{ json: { url: 'https://shop.example/product/a' } }];" } },
		{
			id: 'scraper',
			name: 'Scraper',
			type: 'CUSTOM.brightDataScraperStudio',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'collection',
				outputMode: 'file',
				fileFormat: 'json',
				...(operation === 'getDataset'
					? { operation, snapshotId }
					: { operation, collector: { __rl: true, mode: 'id', value: 'c_products01' }, fieldsToSend: 'selected', inputFields: 'url' }),
			},
			credentials: { brightDataScraperStudioApi: { id: CREDENTIAL_ID, name: CREDENTIAL_ID } },
		},
	],
	connections: { Start: { main: [[{ node: 'URL', type: 'main', index: 0 }]] }, URL: { main: [[{ node: 'Scraper', type: 'main', index: 0 }]] } },
});

/** `n8n execute` under /usr/bin/time: peak RSS in MB and the Scraper node's item. */
function execute(id, env, version) {
	const { nodeBin, n8nBin } = n8nPaths(version);
	return new Promise((resolve, reject) => {
		const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB %M', nodeBin, n8nBin, 'execute', `--id=${id}`, '--rawOutput'], {
			env: { ...env, N8N_LOG_LEVEL: 'info' },
			cwd: env.N8N_USER_FOLDER,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', () => {
			const rss = Number(stderr.match(/MAXRSS_KB (\d+)/)?.[1]) / 1024;
			const run = parseRawOutput(stdout);
			const item = run?.data?.resultData?.runData?.Scraper?.[0]?.data?.main?.[0]?.[0];
			const error = run?.data?.resultData?.error?.message;
			resolve({ rss, item, error });
		});
	});
}

async function measure(version, mode, emulator, extension) {
	const scratch = mkdtempSync(join(tmpdir(), `bdss-bench-file-${version}-`));
	try {
		const extra = mode === 'unset' ? {} : { N8N_DEFAULT_BINARY_DATA_MODE: mode };
		const env = n8nEnv({ userFolder: join(scratch, 'n8n'), customExtensions: extension, port: await freePort(), brokerPort: await freePort(), version, logLevel: 'error', extra });
		await importCredentials([{ id: CREDENTIAL_ID, name: CREDENTIAL_ID, type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } }], env);
		const result = {};
		for (const [label, bytes] of [['small', 1024], ['big', mb * 1024 * 1024]]) {
			const snapshotId = `j_bench${label}`;
			// Trigger and Wait's job gets its ID from the emulator: the fault then answers every dataset request of this run.
			emulator.clearFaults();
			emulator.injectFault({ method: 'GET', path: '/dca/dataset', ...(operation === 'getDataset' ? { jobId: snapshotId } : {}), kind: 'huge', bytes, rowBytes, times: Infinity });
			const id = await importWorkflow(workflow(snapshotId), env);
			result[label] = await execute(id, env, version);
		}
		const { small, big } = result;
		return {
			operation,
			version,
			mode,
			datasetMB: mb,
			rowBytes,
			peakSmallMB: Math.round(small.rss),
			peakBigMB: Math.round(big.rss),
			growthMB: Math.round(big.rss - small.rss),
			growthPerPayload: Math.round(((big.rss - small.rss) / mb) * 100) / 100,
			stored: big.item ? `${big.item.binary?.data?.id ? 'by id' : 'inline'} (${big.item.binary?.data?.fileSize ?? '?'}), ${big.item.json.count} rows` : big.error ?? 'no item',
		};
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

const results = [];
for (const version of versions) await ensureN8n({ version, log: (line) => console.error(`[n8n install] ${line}`) });
if (!process.env.BENCH_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
const scratch = mkdtempSync(join(tmpdir(), 'bdss-bench-file-'));
const extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));
const emulator = await startEmulator();
try {
	for (const version of versions) {
		for (const mode of modes) {
			const row = await measure(version, mode, emulator, extension);
			console.error(JSON.stringify(row));
			results.push(row);
		}
	}
} finally {
	await emulator.close();
	rmSync(scratch, { recursive: true, force: true });
}
console.log(JSON.stringify(results, null, 2));
