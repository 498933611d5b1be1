/**
 * The hub bench: n8n in queue mode as a self-hosted integration hub runs it (test/e2e/hub.mjs:
 * Postgres, Redis, main, two workers with concurrency 5, one webhook process, binary data in the
 * database), the emulator as Bright Data. Three parts, in one hub (test/e2e/hubScenarios.mjs):
 *
 *  1. parked: 200 Resume-on-Notification executions parked at once; of their notifications 10% late
 *     (65 s after the job ends), 10% sent twice at once, 5% forged (three forged calls before the
 *     real one), 10% out of order, 5% never (they end by the node's timeout policy: Timeout 60 s +
 *     300 s); worker 1 SIGKILLed while all wait, restarted halfway through the notifications.
 *  2. file: File output (JSON) of 100,000 rows of ~1 KB in database binary mode.
 *  3. deliveries: Rows Delivered calls (gzip, Header Auth secret from its credential) into the
 *     trigger node through the webhook process due at 1,000 a minute for 60 s, every 20th forged.
 *
 * Writes bench/hub-results.json (after each part, so a partial run keeps what it measured); with
 * --write also the hub section of bench/RESULTS.md and bench/hub-chart.svg (bench/hubReport.mjs).
 *
 * Run: npm run bench -- --only=hub     (= node --import tsx bench/hub.mjs --write)
 * Flags: --executions=200 --late-ms=65000 --node-timeout=60 --stream-seconds=60 --file-rows=100000
 *        --per-minute=1000 --delivery-seconds=60 (the run is 300) --max-in-flight=64 --parts=parked,file,deliveries
 *        --webhook-env='{"N8N_…":"…"}' (extra variables for the webhook process only)
 *        --notify-timeout-ms=60000 (how long the emulator waits for n8n's answer to a notification; its own default is 5000)
 *        --out=bench/hub-results.json (where the figures go; --write renders the report from them)
 *        --parts=cpu: only the CPU per call of the trigger node and of n8n's Webhook node
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

import { startEmulator } from '../emulator/server.ts';
import { ensureN8n } from '../scripts/n8n/install.mjs';
import { startHub } from '../test/e2e/hub.mjs';
import { cpuPerCall, runDeliveryScenario, runFileScenario, runParkedScenario } from '../test/e2e/hubScenarios.mjs';
import { copyPackage } from '../test/e2e/server.mjs';
import { writeHubReport } from './hubReport.mjs';

const root = join(import.meta.dirname, '..');
const flag = (name, fallback) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const settings = {
	executions: Number(flag('executions', '200')),
	fractions: { late: 0.1, twice: 0.1, forged: 0.05, outOfOrder: 0.1, never: 0.05 },
	lateMs: Number(flag('late-ms', '65000')),
	nodeTimeoutSeconds: Number(flag('node-timeout', '60')),
	streamSeconds: Number(flag('stream-seconds', '60')),
	fileRows: Number(flag('file-rows', '100000')),
	perMinute: Number(flag('per-minute', '1000')),
	deliverySeconds: Number(flag('delivery-seconds', '60')),
	maxInFlight: Number(flag('max-in-flight', '64')),
	forgedEvery: 20,
	cpuCalls: 60,
	workers: 2,
	concurrency: 5,
	emulatorTimeScale: 0.001,
	// How long the emulator waits for n8n's answer to a notification before it gives up (it does not retry).
	notifyTimeoutMs: Number(flag('notify-timeout-ms', '60000')),
};
const parts = flag('parts', 'parked,file,deliveries').split(',');
const webhookExtra = JSON.parse(process.argv.find((arg) => arg.startsWith('--webhook-env='))?.slice('--webhook-env='.length) ?? '{}');
const RESULTS_JSON = flag('out', join(import.meta.dirname, 'hub-results.json'));
const started = Date.now();
const log = (line) => console.log(`[hub bench ${String(Math.round((Date.now() - started) / 1000)).padStart(4)} s] ${line}`);

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const results = {
	date: new Date().toISOString(),
	code: `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no', '--', 'nodes', 'credentials', 'emulator', 'test/e2e', 'bench', ':!bench/hub-results.json', ':!bench/RESULTS.md', ':!bench/hub-chart.svg') ? ' (with uncommitted changes)' : ''}`,
	machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 1024 ** 3), loadAtStart: loadavg().map((x) => Math.round(x * 10) / 10) },
	command: `node --import tsx bench/hub.mjs ${process.argv.slice(2).join(' ')}`.trim(),
	settings,
};
const save = () => writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 1)}\n`);

const n8n = await ensureN8n({ log });
results.n8n = n8n.version;
if (!process.env.BENCH_SKIP_BUILD) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
const scratch = mkdtempSync(join(tmpdir(), 'bdss-hub-bench-'));
const extension = copyPackage(join(scratch, 'n8n-nodes-brightdata-scraper-studio'));
const emulator = await startEmulator({ timeScale: settings.emulatorTimeScale, webhookTimeoutMs: settings.notifyTimeoutMs });
let hub;
try {
	const t = Date.now();
	hub = await startHub({ emulator, extension, scratch, workers: settings.workers, concurrency: settings.concurrency, webhookExtra, log });
	results.webhookEnv = webhookExtra;
	results.startSeconds = Math.round((Date.now() - t) / 1000);
	results.rssIdle = hub.rss();
	if (parts.includes('parked')) {
		log(`1/3 parked: ${settings.executions} executions`);
		results.parked = await runParkedScenario(hub, emulator, {
			executions: settings.executions,
			fractions: settings.fractions,
			lateMs: settings.lateMs,
			nodeTimeoutSeconds: settings.nodeTimeoutSeconds,
			streamSeconds: settings.streamSeconds,
			killWorker: true,
			wakeNever: false,
			parkTimeoutMs: 900_000,
			endTimeoutMs: 1_200_000,
			log,
		});
		log(`parked: ${JSON.stringify({ ...results.parked, rssSamples: undefined })}`);
		save();
	}
	if (parts.includes('file')) {
		log(`2/3 file: ${settings.fileRows} rows`);
		results.file = await runFileScenario(hub, emulator, { rows: settings.fileRows, log });
		log(`file: ${JSON.stringify(results.file)}`);
		save();
	}
	if (parts.includes('cpu')) {
		results.cpu = await cpuPerCall(hub, { calls: settings.cpuCalls });
		log(`cpu: ${JSON.stringify(results.cpu)}`);
		save();
	}
	if (parts.includes('deliveries')) {
		log(`3/3 deliveries: ${settings.perMinute}/min for ${settings.deliverySeconds} s`);
		results.deliveries = await runDeliveryScenario(hub, {
			perMinute: settings.perMinute,
			seconds: settings.deliverySeconds,
			forgedEvery: settings.forgedEvery,
			maxInFlight: settings.maxInFlight,
			cpuCalls: settings.cpuCalls,
			drainTimeoutMs: 1_800_000,
			log,
		});
		log(`deliveries: ${JSON.stringify({ ...results.deliveries, rssSamples: undefined })}`);
	}
	results.dbMbEnd = hub.dbSizeMb();
	results.binaryDataEnd = hub.binaryData();
	results.totalSeconds = Math.round((Date.now() - started) / 1000);
	results.loadAtEnd = loadavg().map((x) => Math.round(x * 10) / 10);
	save();
} finally {
	await hub?.stop();
	await emulator.close();
	rmSync(scratch, { recursive: true, force: true });
}
log(`wrote ${RESULTS_JSON}`);
if (process.argv.includes('--write') && RESULTS_JSON === join(import.meta.dirname, 'hub-results.json')) {
	writeHubReport(results);
	log('wrote the hub section of bench/RESULTS.md and bench/hub-chart.svg');
}
const problems = ['parked', 'file', 'deliveries'].flatMap((part) => (results[part]?.problems ?? []).map((p) => `${part}: ${p}`));
if (problems.length) {
	console.log(`problems:\n${problems.join('\n')}`);
	process.exitCode = 1;
}
