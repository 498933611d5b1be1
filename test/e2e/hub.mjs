/**
 * The hub harness: n8n in queue mode as an integration hub runs it, on this machine, for the hub
 * end-to-end test (hub.test.mjs) and the hub bench (bench/hub.mjs).
 *
 *   Postgres (Debian's package, a throwaway cluster) + Redis (Debian's redis-server)
 *   n8n main (`n8n start`: editor/REST, wait tracker; production webhooks off)
 *   n8n workers (`n8n worker --concurrency=5`, two by default)
 *   one n8n webhook process (`n8n webhook`): N8N_WEBHOOK_URL points at it, so Bright Data's
 *   notifications (the resume URLs) and deliveries reach it, not main
 *   binary data mode `database` (N8N_DEFAULT_BINARY_DATA_MODE; n8n has no filesystem mode in queue mode)
 *
 * Every process gets its own user folder with the package linked (as if installed on each
 * container), the same encryption key, and binds 127.0.0.1 only. Everything started here is stopped
 * by stop() (process groups; also when a start fails, and as a last resort when the caller exits).
 * Node built-ins, Debian's psql, and n8n's own `flatted` from the cached install.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { freePort, n8nEnv, n8nPaths, setupOwner, startN8n, startWebhookProcess, startWorker } from '../../scripts/n8n/n8n.mjs';
import { ensurePostgres, startPostgres } from './postgres.mjs';
import { ensureRedisServer, startRedis } from './redis.mjs';
import { N8nRest } from './server.mjs';
import { urlItemsNode, webhookNode } from './workflows.mjs';

const n8nRequire = () => createRequire(join(n8nPaths().dir, 'package.json'));

/** Resident memory (MB) of a process group: n8n and its task runner. */
export function groupRssMb(pgid) {
	try {
		const out = execFileSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
		return Math.round(out.split('\n').map(Number).filter(Boolean).reduce((a, b) => a + b, 0) / 1024);
	} catch {
		return 0;
	}
}

/** CPU time (ms, user + system) used so far by a process group (session): n8n and its task runner. */
export function groupCpuMs(pgid) {
	try {
		const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' }).split('\n').map((x) => x.trim()).filter(Boolean);
		let ticks = 0;
		for (const pid of pids) {
			try {
				const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
				ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
			} catch {}
		}
		return ticks * 10; // USER_HZ = 100
	} catch {
		return 0;
	}
}

/** Peak resident memory (MB, VmHWM) of the n8n process itself (not its runner). */
export function peakRssMb(pid) {
	try {
		const kb = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1]);
		return Math.round(kb / 1024);
	} catch {
		return 0;
	}
}

/** Nearest-rank percentile of numbers. */
export function percentile(values, p) {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Starts the hub. `extension` is the built package folder (copyPackage); `emulator` the Bright Data
 * emulator (its URL goes into the API credential).
 * @returns {Promise<Hub>}
 */
export async function startHub({ emulator, extension, scratch, workers = 2, concurrency = 5, startTimeoutMs = 240_000, log = () => {}, extra = {}, webhookExtra = {} }) {
	const started = [];
	const hub = { workers: [], started };
	// Ctrl-C or a kill of the caller: every process group at once (n8n's, Redis, Postgres and its temp dir), then die of it.
	const onSignal = (signal) => {
		for (const pid of [hub.main?.pid, hub.webhook?.pid, ...hub.workers.map((w) => w?.pid), hub.redis?.pid]) {
			try {
				if (pid) process.kill(-pid, 'SIGKILL');
			} catch {}
		}
		hub.pg?.killNow();
		process.kill(process.pid, signal);
	};
	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	for (const signal of signals) process.once(signal, onSignal);
	const stopAll = async () => {
		for (const signal of signals) process.off(signal, onSignal);
		for (const s of started.splice(0).reverse()) {
			try {
				await s.stop();
			} catch (error) {
				log(`stopping ${s.name}: ${error.message}`);
			}
		}
	};
	hub.stop = stopAll;
	try {
		const [redisBin, pgBin] = [ensureRedisServer({ log }), ensurePostgres({ log })];
		const [redisPort, pgPort] = [await freePort(), await freePort()];
		const [redis, pg] = await Promise.all([startRedis({ bin: redisBin, port: redisPort }), startPostgres({ bin: pgBin, port: pgPort, log })]);
		started.push({ name: 'redis', stop: () => redis.stop() }, { name: 'postgres', stop: () => pg.stop() });
		hub.redis = redis;
		hub.pg = pg;

		const webhookPort = await freePort();
		const mainPort = await freePort();
		const shared = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: pg.password,
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Resume URLs and production webhook URLs point at the webhook process.
			N8N_WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			N8N_EDITOR_BASE_URL: `http://127.0.0.1:${mainPort}/`,
			// A killed worker's job is noticed after its lock lapses (default 60 s, checked every 30 s): shorter here.
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			...extra,
		};
		const envFor = async (name, { port, logLevel = 'info', more = {} } = {}) =>
			n8nEnv({ userFolder: join(scratch, `n8n-${name}`), customExtensions: extension, port: port ?? (await freePort()), brokerPort: await freePort(), logLevel, extra: { ...shared, ...more } });

		// Main first: it runs the database migrations.
		const mainEnv = await envFor('main', { port: mainPort, logLevel: 'warn', more: { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' } });
		const main = await startN8n(mainEnv, { timeoutMs: startTimeoutMs });
		started.push({ name: 'main', stop: () => main.stop() });
		hub.main = main;
		log(`main up at ${main.url}`);
		hub.rest = new N8nRest(main.url, await setupOwner(main.url));
		hub.credential = await hub.rest.createCredential({ name: 'Emulator', type: 'brightDataScraperStudioApi', data: { apiToken: emulator.token, baseUrl: emulator.url } });
		hub.secret = { headerName: 'X-Hub-Secret', secret: `hub-${randomUUID()}` };
		hub.secretCredential = await hub.rest.createCredential({ name: 'Delivery secret', type: 'brightDataScraperStudioTriggerSecretApi', data: hub.secret });
		// The same secret for n8n's own Webhook node (Header Auth), the baseline of the trigger node's cost.
		hub.headerAuthCredential = await hub.rest.createCredential({ name: 'Webhook node secret', type: 'httpHeaderAuth', data: { name: hub.secret.headerName, value: hub.secret.secret } });

		// Workers and the webhook process together (each takes 20-60 s to start on a busy machine).
		hub.workerEnvs = [];
		for (let i = 0; i < workers; i++) {
			hub.workerEnvs.push(await envFor(`worker${i + 1}`, { more: { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(await freePort()), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' } }));
		}
		const webhookEnv = await envFor('webhook', { port: webhookPort, more: webhookExtra });
		const results = await Promise.allSettled([
			...hub.workerEnvs.map((env) => startWorker(env, { concurrency, timeoutMs: startTimeoutMs })),
			startWebhookProcess(webhookEnv, { timeoutMs: startTimeoutMs }),
		]);
		results.forEach((r, i) => {
			if (r.status !== 'fulfilled') return;
			if (i < workers) {
				hub.workers[i] = r.value;
				started.push({ name: `worker${i + 1}`, stop: () => hub.workers[i]?.stop() });
			} else {
				hub.webhook = r.value;
				started.push({ name: 'webhook', stop: () => r.value.stop() });
			}
		});
		const failed = results.find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
		hub.concurrency = concurrency;
		log(`workers ${hub.workers.map((w) => w.pid).join(', ')} and webhook process at ${hub.webhook.url}`);
		return Object.assign(hub, hubMethods(hub));
	} catch (error) {
		await stopAll();
		throw error;
	}
}

function hubMethods(hub) {
	return {
		/** SIGKILLs worker i's process group (an OOM kill); resolves when it is gone. */
		async killWorker(i) {
			const worker = hub.workers[i];
			hub.workers[i] = undefined;
			process.kill(-worker.pid, 'SIGKILL');
			await worker.exited;
			return worker;
		},
		async restartWorker(i, { timeoutMs = 240_000 } = {}) {
			hub.workers[i] = await startWorker(hub.workerEnvs[i], { concurrency: hub.concurrency, timeoutMs });
			return hub.workers[i];
		},
		/** RSS (MB) of each n8n process group now. */
		rss() {
			const out = { main: groupRssMb(hub.main.pid), webhook: groupRssMb(hub.webhook.pid) };
			hub.workers.forEach((w, i) => (out[`worker${i + 1}`] = w ? groupRssMb(w.pid) : 0));
			return out;
		},
		dbSizeMb() {
			return Math.round(Number(hub.pg.query(`SELECT pg_database_size('${hub.pg.database}')`)) / 1024 / 1024);
		},
		/** Executions of a workflow straight from Postgres: [{ id, status, mode, startedAt, stoppedAt, waitTill }]. */
		executions(workflowId) {
			const json = hub.pg.query(
				`SELECT coalesce(json_agg(json_build_object('id', id::text, 'status', status, 'mode', mode, 'startedAt', "startedAt", 'stoppedAt', "stoppedAt", 'waitTill', "waitTill") ORDER BY id), '[]') FROM execution_entity WHERE "workflowId" = '${workflowId}'`,
			);
			return JSON.parse(json);
		},
		/** Status counts of a workflow's executions. */
		statusCounts(workflowId) {
			const rows = hub.pg.query(`SELECT status, count(*) FROM execution_entity WHERE "workflowId" = '${workflowId}' GROUP BY status`);
			return Object.fromEntries(rows.split('\n').filter(Boolean).map((line) => line.split('|')).map(([s, n]) => [s, Number(n)]));
		},
		/** Parsed run data of executions (flatted, as n8n stores it): Map id → data. */
		runData(ids) {
			if (!ids.length) return new Map();
			const parse = n8nRequire()('flatted').parse;
			const json = hub.pg.query(`SELECT json_agg(json_build_object('id', "executionId"::text, 'data', data)) FROM execution_data WHERE "executionId" IN (${ids.map(Number).join(',')})`);
			return new Map((JSON.parse(json) ?? []).map(({ id, data }) => [id, parse(data)]));
		},
		/** Moves waiting executions' wake-up time to now (n8n's wait tracker picks them up on its next 60 s poll). */
		wakeNow(ids) {
			return hub.pg.query(`UPDATE execution_entity SET "waitTill" = now() WHERE id IN (${ids.map(Number).join(',')}) AND status = 'waiting' RETURNING id`).split('\n').filter(Boolean).length;
		},
		/** Rows and bytes n8n keeps in its binary_data table (database binary mode). */
		binaryData() {
			const [count, bytes] = hub.pg.query(`SELECT count(*), coalesce(sum(length(data)), 0) FROM binary_data`).split('|').map(Number);
			return { count, mb: Math.round((bytes / 1024 / 1024) * 10) / 10 };
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Workflows

const link = (node, index = 0) => ({ node, type: 'main', index });
const noOp = (name, x) => ({ id: name.toLowerCase().replace(/\W/g, '-'), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, 0], parameters: {} });

/**
 * Webhook POST /webhook/<path> (answers at once) → Code (one item per body.urls) → Scraper (Trigger
 * and Wait, Resume on Notification) → Rows / Failed.
 */
export function parkWorkflow({ name, path, credential, options = {}, parameters = {} }) {
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
				parameters: { resource: 'collection', operation: 'triggerAndWait', collector: { __rl: true, mode: 'id', value: 'c_products01' }, waitMode: 'notification', fieldsToSend: 'selected', inputFields: 'url', options, ...parameters },
				credentials: { brightDataScraperStudioApi: credential },
			},
			noOp('Rows', 660),
			noOp('Failed', 880),
		],
		connections: { Hook: { main: [[link('Items')]] }, Items: { main: [[link('Scraper')]] }, Scraper: { main: [[link('Rows')], [link('Failed')]] } },
	};
}

/** Bright Data Scraper Studio Trigger (Rows Delivered, Header Auth) → NoOp. Production URL /webhook/<webhookId>/webhook. */
export function deliveryWorkflow({ name, secretCredential }) {
	const webhookId = randomUUID();
	return {
		webhookId,
		workflow: {
			name,
			nodes: [
				{
					id: 'bd-trigger',
					name: 'Bright Data',
					type: 'CUSTOM.brightDataScraperStudioTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId,
					parameters: { event: 'rowsDelivered', authentication: 'headerAuth', options: {} },
					credentials: { brightDataScraperStudioTriggerSecretApi: secretCredential },
				},
				noOp('Got rows', 220),
			],
			connections: { 'Bright Data': { main: [[link('Got rows')]] } },
		},
	};
}

/** n8n's own Webhook node (POST /webhook/<path>, answers at once) → NoOp: the baseline for the trigger node's cost. */
export function plainWebhookWorkflow({ name, path, headerAuthCredential }) {
	const auth = headerAuthCredential ? { authentication: 'headerAuth' } : {};
	return {
		name,
		nodes: [
			{ ...webhookNode({ path, extra: auth }), ...(headerAuthCredential ? { credentials: { httpHeaderAuth: headerAuthCredential } } : {}) },
			noOp('Got body', 220),
		],
		connections: { Hook: { main: [[link('Got body')]] } },
	};
}

/** Samples every process group's RSS every `everyMs` until stopped: { samples, stop() }. */
export function sampleRss(hub, { everyMs = 2000 } = {}) {
	const t0 = Date.now();
	const samples = [];
	const take = () => samples.push({ t: Math.round((Date.now() - t0) / 1000), ...hub.rss() });
	take();
	const timer = setInterval(take, everyMs);
	return {
		samples,
		stop() {
			clearInterval(timer);
			take();
			return samples;
		},
	};
}

/** start / peak / end RSS per process over samples. */
export function rssSummary(samples) {
	const keys = Object.keys(samples[0] ?? {}).filter((k) => k !== 't');
	return Object.fromEntries(
		keys.map((k) => {
			const values = samples.map((s) => s[k]).filter((v) => v > 0);
			return [k, { start: values[0] ?? 0, peak: Math.max(0, ...values), end: values.at(-1) ?? 0 }];
		}),
	);
}
