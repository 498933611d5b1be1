/**
 * Soak: `npx tsx scripts/soak.ts --minutes 5` runs real workflows (n8n's own engine, in this
 * process) against the Scraper Studio emulator for that many minutes of wall time, with the
 * emulator's clock scaled (default 50x, so 5 minutes cover about 4 emulated hours) and faults
 * injected all the time. It then prints a summary: executions, rows, errors, requests, billed jobs,
 * memory at the start and the end.
 *
 * The emulator runs in a child process (this script, forked with --role emulator), so the memory
 * figures are those of n8n and the node alone: the emulator keeps every job it ever ran.
 *
 * Bounded: no new execution starts after --minutes or once the emulator has seen --max-requests
 * requests; running ones get --grace-seconds to finish, then everything is stopped. Loopback only:
 * the emulator binds 127.0.0.1 and the base URL is checked before anything runs.
 *
 * Options: --minutes (5) --time-scale (50) --concurrency (20) --max-requests (1000000)
 *          --grace-seconds (60) --seed (1)
 */
import '../test/harness/setup-env';

import { fork, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { random } from '../bench/collectors';
import type { Fault } from '../emulator/faults';
import { startEmulator } from '../emulator/server';
import { timing } from '../nodes/shared/timing';
import { collectorId, triggerAndWait } from '../test/harness/params';
import { runScraper, SCRAPER } from '../test/harness/workflow';

// ---- Options ----

const { values: args } = parseArgs({
	options: {
		role: { type: 'string', default: 'soak' },
		minutes: { type: 'string', default: '5' },
		'time-scale': { type: 'string', default: '50' },
		concurrency: { type: 'string', default: '20' },
		'max-requests': { type: 'string', default: '1000000' },
		'grace-seconds': { type: 'string', default: '60' },
		seed: { type: 'string', default: '1' },
	},
});

function positive(name: keyof typeof args): number {
	const value = Number(args[name]);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got "${args[name]}")`);
	return value;
}

// ---- Messages between the soak and its emulator process ----

type ToEmulator =
	| { type: 'fault'; fault: Fault }
	| { type: 'stats'; id: number }
	| { type: 'final'; id: number }
	| { type: 'close' };

interface EmulatorStats {
	requests: number;
	byPath: Record<string, number>;
	faults: Record<string, number>;
	triggers: number;
	rssMb: number;
}

interface FinalStats extends EmulatorStats {
	jobs: number;
	/** Execution keys (from the input URLs) that got more than one batch job. */
	billedTwice: string[];
	realtimeResponses: number;
	/** Real-time inputs that were sent more than once. */
	realtimeTwice: string[];
}

type FromEmulator =
	| { type: 'ready'; url: string; token: string }
	| { type: 'stats'; id: number; stats: EmulatorStats }
	| { type: 'final'; id: number; stats: FinalStats };

/** Execution key embedded in every input URL: https://soak.example/<op>/e<n>/<input>. */
const keyOf = (url: unknown): string => String(url).replace(/^https:\/\/soak\.example\/[a-z]+\/(e\d+)\/.*$/, '$1');

// ---- Emulator process ----

async function emulatorProcess(): Promise<void> {
	const emulator = await startEmulator({ timeScale: positive('time-scale') });
	const stats: EmulatorStats = { requests: 0, byPath: {}, faults: {}, triggers: 0, rssMb: 0 };
	const pending: typeof emulator.requests = [];

	/** Counts requests and forgets the answered ones, so the emulator's request log stays small. */
	const absorb = () => {
		const taken = emulator.requests.splice(0);
		for (const request of [...pending.splice(0), ...taken]) {
			if (request.status === null && !request.fault) {
				pending.push(request); // still being answered (long-poll); count it later
				continue;
			}
			stats.requests++;
			const path = request.path.replace(/\/j_[a-z0-9]+\//, '/{id}/').replace(/\/dca\/log\/.+$/, '/dca/log/{id}');
			stats.byPath[`${request.method} ${path}`] = (stats.byPath[`${request.method} ${path}`] ?? 0) + 1;
			if (request.fault) stats.faults[request.fault] = (stats.faults[request.fault] ?? 0) + 1;
			if (request.method === 'POST' && request.path === '/dca/trigger') stats.triggers++;
		}
		stats.rssMb = process.memoryUsage().rss / 1024 / 1024;
	};
	const timer = setInterval(absorb, 1000);

	const send = (message: FromEmulator) => process.send?.(message);
	process.on('message', (message: ToEmulator) => {
		if (message.type === 'fault') emulator.injectFault(message.fault);
		if (message.type === 'stats') {
			absorb();
			send({ type: 'stats', id: message.id, stats });
		}
		if (message.type === 'final') {
			absorb();
			const jobsPerKey = new Map<string, number>();
			const jobs = emulator.jobs;
			for (const job of jobs) {
				if (job.rerunOf) continue;
				const key = keyOf(job.inputs[0]?.url);
				jobsPerKey.set(key, (jobsPerKey.get(key) ?? 0) + 1);
			}
			const responses = emulator.responses;
			const perInput = new Map<string, number>();
			for (const response of responses) perInput.set(String(response.input.url), (perInput.get(String(response.input.url)) ?? 0) + 1);
			send({
				type: 'final',
				id: message.id,
				stats: {
					...stats,
					jobs: jobs.length,
					billedTwice: [...jobsPerKey].filter(([, count]) => count > 1).map(([key]) => key),
					realtimeResponses: responses.length,
					realtimeTwice: [...perInput].filter(([, count]) => count > 1).map(([url]) => url),
				},
			});
		}
		if (message.type === 'close') {
			clearInterval(timer);
			void emulator.close().then(() => process.exit(0));
		}
	});
	// The parent going away (or being killed) ends this process too.
	process.on('disconnect', () => {
		clearInterval(timer);
		void emulator.close().then(() => process.exit(0));
	});
	send({ type: 'ready', url: emulator.url, token: emulator.token });
}

// ---- The soak ----

class EmulatorClient {
	private nextId = 1;
	private readonly waiting = new Map<number, (stats: never) => void>();

	constructor(private readonly child: ChildProcess) {
		child.on('message', (message: FromEmulator) => {
			if (message.type === 'stats' || message.type === 'final') {
				this.waiting.get(message.id)?.(message.stats as never);
				this.waiting.delete(message.id);
			}
		});
	}

	inject(fault: Fault): void {
		this.child.send({ type: 'fault', fault } satisfies ToEmulator);
	}

	stats(): Promise<EmulatorStats> {
		return this.ask('stats');
	}

	final(): Promise<FinalStats> {
		return this.ask('final');
	}

	private ask<T>(type: 'stats' | 'final'): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve) => {
			this.waiting.set(id, resolve as (stats: never) => void);
			this.child.send({ type, id } satisfies ToEmulator);
		});
	}
}

async function startEmulatorProcess(): Promise<{ child: ChildProcess; url: string; token: string }> {
	const child = fork(__filename, ['--role', 'emulator', '--time-scale', String(positive('time-scale'))], {
		execArgv: process.execArgv,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const ready = await new Promise<{ url: string; token: string }>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`The emulator process exited (${code}) before it was ready`)));
		child.on('message', (message: FromEmulator) => {
			if (message.type === 'ready') resolve(message);
		});
	});
	child.removeAllListeners('exit');
	const { hostname, protocol } = new URL(ready.url);
	if (protocol !== 'http:' || hostname !== '127.0.0.1') throw new Error(`Refusing to soak against ${ready.url}: loopback only`);
	return { child, ...ready };
}

/** What one execution did, as the summary counts it. */
interface Outcome {
	op: string;
	rows: number;
	failedInputs: number;
	/** undefined: all good. */
	error?: { expected: boolean; text: string };
}

/** Errors the injected "terminal" faults are meant to cause, each naming what the user must do. */
const EXPECTED_ERRORS: Array<[string, RegExp]> = [
	['trigger answer lost (not resent, says to look for the job)', /failed after it may have reached Bright Data/],
	['torn / unreadable dataset (names the snapshot)', /unreadable dataset for snapshot "j_/],
];

async function soak(): Promise<void> {
	const minutes = positive('minutes');
	const timeScale = positive('time-scale');
	const concurrency = Math.floor(positive('concurrency'));
	const maxRequests = positive('max-requests');
	const graceMs = positive('grace-seconds') * 1000;
	const rand = random(positive('seed'));
	const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

	const { child, url, token } = await startEmulatorProcess();
	const emulator = new EmulatorClient(child);
	timing.msPerSecond = 1000 / timeScale;
	console.log(
		`Soak: ${minutes} min, clock ×${timeScale}, ${concurrency} executions at a time, at most ${maxRequests} requests; ` +
			`emulator (pid ${child.pid}) at ${url}, this process pid ${process.pid}`,
	);

	setFlagsFromString('--expose-gc');
	const gc = runInNewContext('gc') as () => void;
	const heapMb = () => {
		gc();
		gc();
		return process.memoryUsage().heapUsed / 1024 / 1024;
	};
	const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

	let executionNumber = 0;
	const inputsFor = (op: string, count: number, failOne: boolean): IDataObject[] => {
		const key = `e${executionNumber}`;
		return Array.from({ length: count }, (_, n) => ({
			url: `https://soak.example/${op}/${key}/${n}${failOne && n === count - 1 ? '-fail' : ''}`,
		}));
	};

	/** Every input has a row or a failed-input item, linked to its own item. */
	const accountFor = (outputs: Array<Array<{ json: IDataObject; pairedItem?: unknown }>>, inputs: IDataObject[]): string | undefined => {
		const seen = new Set<number>();
		for (const { json, pairedItem } of outputs.flat()) {
			const item = (pairedItem as { item?: number } | undefined)?.item;
			if (item === undefined || JSON.stringify(json.input) !== JSON.stringify(inputs[item])) return `a row for item ${item} echoes ${JSON.stringify(json.input)}`;
			seen.add(item);
		}
		return seen.size === inputs.length ? undefined : `${inputs.length - seen.size} of ${inputs.length} inputs missing`;
	};

	const classify = (op: string, message: string): Outcome => {
		const expected = EXPECTED_ERRORS.find(([, pattern]) => pattern.test(message));
		return { op, rows: 0, failedInputs: 0, error: { expected: Boolean(expected), text: expected?.[0] ?? message } };
	};

	const options = { baseUrl: url, token };
	const recentSnapshots: string[] = [];

	/** One execution of a randomly chosen kind; never throws. */
	async function oneExecution(): Promise<Outcome> {
		executionNumber++;
		const roll = rand();
		if (roll < 0.6) {
			const collector = pick(['c_products01', 'c_flaky09', 'c_ndjson06', 'c_quirky10'] as const);
			const inputs = inputsFor('wait', 1 + Math.floor(rand() * 5), rand() < 0.2);
			const result = await runScraper(triggerAndWait(collector, { options: { timeout: 86400 } }), inputs, options);
			if (result.error) return classify('triggerAndWait', result.error.message);
			const [rows = [], failed = []] = result.outputOf(SCRAPER);
			const problem = accountFor([rows, failed], inputs);
			return problem ? classify('triggerAndWait', problem) : { op: 'triggerAndWait', rows: rows.length, failedInputs: failed.length };
		}
		if (roll < 0.75) {
			// Trigger, then Get Dataset until it is ready (a second workflow, as users build it).
			const inputs = inputsFor('trig', 1 + Math.floor(rand() * 3), false);
			const started = await runScraper({ operation: 'trigger', collector: collectorId('c_products01') }, inputs, options);
			if (started.error) return classify('trigger + getDataset', started.error.message);
			const snapshotId = String(started.items[0]?.json.snapshot_id);
			recentSnapshots.push(snapshotId);
			if (recentSnapshots.length > 50) recentSnapshots.shift();
			for (let attempt = 0; attempt < 200; attempt++) {
				const got = await runScraper({ operation: 'getDataset', snapshotId }, [{}], options);
				if (got.error) return classify('trigger + getDataset', got.error.message);
				if (got.items.length !== 1 || got.items[0].json.ready !== false) {
					const rows = got.items.map(({ json }) => ({ json, pairedItem: { item: inputs.findIndex((input) => input.url === (json.input as IDataObject)?.url) } }));
					const problem = accountFor([rows], inputs);
					return problem ? classify('trigger + getDataset', problem) : { op: 'trigger + getDataset', rows: rows.length, failedInputs: 0 };
				}
				await new Promise((resolve) => setTimeout(resolve, 5 * timing.msPerSecond));
			}
			return classify('trigger + getDataset', `snapshot ${snapshotId} never became ready`);
		}
		if (roll < 0.9) {
			const inputs = inputsFor('rt', 1 + Math.floor(rand() * 3), false);
			const result = await runScraper({ operation: 'runRealtime', collector: collectorId('c_realtime03') }, inputs, options);
			if (result.error) return classify('runRealtime', result.error.message);
			const problem = accountFor([result.items], inputs);
			return problem ? classify('runRealtime', problem) : { op: 'runRealtime', rows: result.items.length, failedInputs: 0 };
		}
		const snapshotId = recentSnapshots.length ? pick(recentSnapshots) : 'j_none';
		const result = await runScraper({ resource: 'job', operation: 'get', snapshotId } as INodeParameters, [{}], options);
		if (snapshotId === 'j_none') return { op: 'job get', rows: 0, failedInputs: 0 };
		if (result.error) return classify('job get', result.error.message);
		return result.items[0]?.json.id === snapshotId
			? { op: 'job get', rows: 1, failedInputs: 0 }
			: classify('job get', `job get answered ${JSON.stringify(result.items[0]?.json).slice(0, 100)}`);
	}

	/** Every (real) second, a few retryable faults; now and then one that must end an execution with a clear error. */
	let terminalFaults = 0;
	const faultTimer = setInterval(() => {
		const retryable: Fault[] = [
			{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 503, times: 2 },
			{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 429, headers: { 'Retry-After': String(1 + Math.floor(rand() * 5)) }, times: 2 },
			{ method: 'POST', path: '/dca/trigger', kind: 'status', status: 429, times: 1 },
			{ method: 'GET', path: '/dca/dataset', kind: 'status', status: 503, headers: { 'Retry-After': '1' }, times: 3 },
			{ method: 'GET', path: '/dca/dataset', kind: 'status', status: 500, times: 2 },
			{ method: 'GET', path: '/dca/dataset', kind: 'drop', times: 1 },
			{ method: 'GET', path: '/dca/dataset', kind: 'drop', after: true, times: 1 },
			{ method: 'GET', path: '/dca/dataset', kind: 'statusObject', times: 2 },
			{ method: 'GET', path: '/dca/dataset', kind: 'status', status: 202, body: { status: 'queued_for_reprocessing' }, times: 2 },
			{ method: 'GET', path: '/dca/get_result', kind: 'status', status: 503, times: 2 },
			{ method: 'GET', path: '/dca/get_result', kind: 'drop', times: 1 },
			{ method: 'POST', path: '/dca/trigger_immediate', kind: 'status', status: 429, headers: { 'Retry-After': '2' }, times: 1 },
			{ method: 'GET', path: '/dca/dataset', kind: 'delay', ms: 200, times: 2 },
		];
		for (let n = 0; n < 3; n++) emulator.inject(pick(retryable));
		if (rand() < 0.1) {
			terminalFaults++;
			emulator.inject(pick([{ method: 'POST', path: '/dca/trigger', kind: 'drop', after: true }, { method: 'GET', path: '/dca/dataset', kind: 'tornNdjson' }] as Fault[]));
		}
	}, 1000);

	// Warm-up: load and compile everything once before the start figures are taken.
	await oneExecution();
	const start = { heapMb: heapMb(), rssMb: rssMb(), at: Date.now() };
	const stopAt = start.at + minutes * 60_000;
	let peakRssMb = start.rssMb;
	let requestsSoFar = 0;
	let stoppedBy = `${minutes} minutes passed`;

	// Counters only: keeping every outcome would itself grow the heap being measured.
	const tally = { executions: 0, ok: 0, rows: 0, failedInputs: 0, byOp: new Map<string, number>(), expected: new Map<string, number>(), unexpected: new Map<string, number>() };
	const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
	const record = (outcome: Outcome) => {
		tally.executions++;
		add(tally.byOp, outcome.op);
		tally.rows += outcome.rows;
		tally.failedInputs += outcome.failedInputs;
		if (!outcome.error) tally.ok++;
		else add(outcome.error.expected ? tally.expected : tally.unexpected, outcome.error.text);
	};
	const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
	/** Heap after GC every 30 s: growth that levels off is caches; growth that does not is a leak. */
	const heapSeries: string[] = [start.heapMb.toFixed(1)];
	const progress = setInterval(() => {
		void emulator.stats().then((stats) => {
			requestsSoFar = stats.requests;
			peakRssMb = Math.max(peakRssMb, rssMb());
			heapSeries.push(heapMb().toFixed(1));
			const minute = ((Date.now() - start.at) / 60_000).toFixed(1);
			console.log(
				`[${minute} min] ${tally.executions} executions, ${sum(tally.unexpected)} unexpected errors, ${stats.requests} requests, ` +
					`heap after GC ${heapSeries[heapSeries.length - 1]} MB, RSS ${rssMb().toFixed(0)} MB`,
			);
		});
	}, 30_000);

	const worker = async () => {
		while (Date.now() < stopAt) {
			if (requestsSoFar >= maxRequests) {
				stoppedBy = `--max-requests ${maxRequests} reached`;
				return;
			}
			try {
				record(await oneExecution());
			} catch (error) {
				record({ op: 'harness', rows: 0, failedInputs: 0, error: { expected: false, text: `threw: ${(error as Error).message}` } });
			}
		}
	};
	const workers = Promise.all(Array.from({ length: concurrency }, worker));
	const graceExceeded = new Promise<'grace'>((resolve) => setTimeout(() => resolve('grace'), minutes * 60_000 + graceMs).unref());
	const ended = await Promise.race([workers.then(() => 'done' as const), graceExceeded]);
	clearInterval(faultTimer);
	clearInterval(progress);

	const elapsedMinutes = (Date.now() - start.at) / 60_000;
	const end = { heapMb: heapMb(), rssMb: rssMb() };
	const final = await emulator.final();
	child.send({ type: 'close' } satisfies ToEmulator);
	await new Promise((resolve) => child.once('exit', resolve));

	const byOp = [...tally.byOp].map(([op, n]) => `${op} ${n}`).join(', ');
	const list = (map: Map<string, number>) => ([...map].map(([text, n]) => `    ${n} × ${text}`).join('\n') || '    none');
	const top = (record: Record<string, number>) =>
		Object.entries(record)
			.sort(([, a], [, b]) => b - a)
			.map(([name, n]) => `${name} ${n}`)
			.join(', ');

	console.log(
		[
			'',
			`Soak summary (${new Date().toISOString()})`,
			`  wall time:            ${elapsedMinutes.toFixed(2)} min (stopped: ${ended === 'grace' ? 'grace period exceeded, in-flight executions abandoned' : stoppedBy}), clock ×${timeScale} ≈ ${((elapsedMinutes * timeScale) / 60).toFixed(1)} emulated hours, ${concurrency} at a time`,
			`  executions:           ${tally.executions} (${byOp})`,
			`  all inputs accounted: ${tally.ok}`,
			`  rows:                 ${tally.rows} (+ ${tally.failedInputs} failed-input items)`,
			`  expected errors:      ${sum(tally.expected)} (from ${terminalFaults} injected terminal faults)`,
			list(tally.expected),
			`  unexpected errors:    ${sum(tally.unexpected)}`,
			list(tally.unexpected),
			`  requests:             ${final.requests} (${top(final.byPath)})`,
			`  faults hit:           ${Object.values(final.faults).reduce((a, b) => a + b, 0)} (${top(final.faults)})`,
			`  trigger POSTs:        ${final.triggers}; batch jobs billed: ${final.jobs}; executions billed twice: ${final.billedTwice.length}${final.billedTwice.length ? ` (${final.billedTwice.slice(0, 5).join(', ')})` : ''}`,
			`  real-time jobs:       ${final.realtimeResponses}; inputs sent twice: ${final.realtimeTwice.length}`,
			`  memory (n8n + node):  heap after GC ${start.heapMb.toFixed(1)} → ${end.heapMb.toFixed(1)} MB, RSS ${start.rssMb.toFixed(0)} → ${end.rssMb.toFixed(0)} MB (peak ${Math.max(peakRssMb, end.rssMb).toFixed(0)} MB)`,
			`  heap every 30 s (MB): ${[...heapSeries, end.heapMb.toFixed(1)].join(' ')}`,
			`  emulator process:     RSS ${final.rssMb.toFixed(0)} MB at the end`,
		].join('\n'),
	);
	const failed = sum(tally.unexpected) > 0 || final.billedTwice.length > 0 || final.realtimeTwice.length > 0;
	process.exit(failed ? 1 : 0);
}

if (args.role === 'emulator') {
	emulatorProcess().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
} else {
	soak().catch((error: unknown) => {
		console.error(error);
		process.exit(1);
	});
}
