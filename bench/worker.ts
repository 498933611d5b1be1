/**
 * One big-dataset measurement in a fresh process, so its peak memory is its own: started by
 * parts/bigDatasets.ts with a JSON case as argv[2], it warms up on a small dataset, resets the
 * kernel's peak-RSS mark, runs the case once, and sends back its time, the part of it spent waiting
 * for the API to start answering, and the peak RSS growth.
 * The emulator runs in the parent process, so its memory is not counted here.
 */
import './env';

import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { join } from 'node:path';

import { PeakMemory } from './measure';
import { N8N_NODES_BASE } from './workerPaths';
import type { WorkerCase, WorkerResult } from './workerProtocol';

declare const gc: () => void;

type Run = (target: { snapshotId: string; collector: string }) => Promise<number>;

/** CPU time spent inside the measured node's execute() (the emulator runs in the parent process). */
const busy = { us: 0 };

type Execute = (this: unknown, ...args: unknown[]) => Promise<unknown>;

/** Wraps a node type's execute() so its CPU time adds up in `busy`. */
function meterExecute(nodeType: { execute?: unknown }): void {
	const original = nodeType.execute as Execute;
	nodeType.execute = async function (this: unknown, ...args: unknown[]) {
		const start = process.cpuUsage();
		try {
			return await original.apply(this, args);
		} finally {
			const used = process.cpuUsage(start);
			busy.us += used.user + used.system;
		}
	};
}

const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';
const HTTP_REQUEST_VERSION = 4.2;
/** The node version the harness runs (test/harness/workflow.ts scraperWorkflow). */
const NODE_VERSION = 2;
/**
 * Trigger and Wait's Timeout: the largest allowed. The default 900 s is 0.9 real seconds at
 * timeScale 1000, less than 100,000 rows or items take to handle, and the Timeout now holds
 * for downloads too.
 */
const LONG_TIMEOUT = { options: { timeout: 86_400 } };

/**
 * Time spent waiting for the API's answers to start (request sent → response headers): the
 * emulator builds a whole dataset answer before its first byte, and that is not the client's work.
 * node:http requests (the node's, through n8n's axios) are seen on Node's diagnostics channels.
 */
const apiWait = { ms: 0, started: new WeakMap<ClientRequest, number>() };
subscribe('http.client.request.start', (message) => {
	apiWait.started.set((message as { request: ClientRequest }).request, performance.now());
});
subscribe('http.client.response.finish', (message) => {
	const started = apiWait.started.get((message as { request: ClientRequest }).request);
	if (started !== undefined) apiWait.ms += performance.now() - started;
});

async function baselineRun(job: WorkerCase): Promise<{ run: Run; bodyBytes: () => number }> {
	let bodyBytes = 0;
	const run: Run = async ({ snapshotId }) => {
		const sent = performance.now();
		const response = await fetch(`${job.baseUrl}/dca/dataset?id=${snapshotId}&format=json`, {
			headers: { Authorization: `Bearer ${job.token}` },
		});
		apiWait.ms += performance.now() - sent; // fetch resolves when the headers arrive
		bodyBytes = Number(response.headers.get('content-length')); // known even when .text() fails
		const cpu = process.cpuUsage();
		const text = await response.text();
		const rows = (JSON.parse(text) as unknown[]).length;
		const used = process.cpuUsage(cpu);
		busy.us += used.user + used.system;
		return rows;
	};
	return { run, bodyBytes: () => bodyBytes };
}

async function nodeRun(job: WorkerCase): Promise<Run> {
	// Loaded only for node cases, after ./env has set n8n's environment.
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { getDatasetParams, runNodeAt, triggerAndWaitParams } = await import('./contenders/node');
	const { timing } = await import('../nodes/shared/timing');
	const { NODE_TYPE, nodeTypeOf, registerNodeType, runWorkflow, scraperWorkflow } = await import('../test/harness/workflow');

	// n8n 2's default binary data mode for a regular instance: files go to disk, not into memory.
	await Container.get(BinaryDataService).init();
	timing.msPerSecond = 1000 / job.timeScale;
	if (job.kind === 'httpRequest') {
		const { HttpRequest } = (await import(join(N8N_NODES_BASE, 'dist/nodes/HttpRequest/HttpRequest.node.js'))) as {
			HttpRequest: new () => import('n8n-workflow').IVersionedNodeType;
		};
		registerNodeType(HTTP_REQUEST, new HttpRequest());
		meterExecute(nodeTypeOf(HTTP_REQUEST, HTTP_REQUEST_VERSION));
		return async ({ snapshotId }) => {
			const workflow = scraperWorkflow({}, [{}]);
			workflow.nodes[1] = {
				...workflow.nodes[1],
				type: HTTP_REQUEST,
				typeVersion: HTTP_REQUEST_VERSION,
				credentials: undefined,
				parameters: {
					url: `${job.baseUrl}/dca/dataset?id=${snapshotId}&format=json`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${job.token}` }] },
					options: {},
				},
			};
			const result = await runWorkflow(workflow, { baseUrl: job.baseUrl });
			if (result.status !== 'success') throw new Error(`HTTP Request: ${result.error?.message}`);
			return result.outputOf(workflow.nodes[1].name)[0]?.length ?? 0;
		};
	}
	meterExecute(nodeTypeOf(NODE_TYPE, NODE_VERSION));
	if (job.kind === 'items') {
		return async ({ collector }) => {
			const count = collector === job.warmUp.collector ? 10 : job.items!;
			const items = Array.from({ length: count }, (_, index) => ({ url: `https://bench.example/item/${index.toString(36)}` }));
			const result = await runNodeAt({ url: job.baseUrl, token: job.token }, triggerAndWaitParams(collector, LONG_TIMEOUT), items);
			if (result.status !== 'success') throw new Error(`Trigger and Wait on ${count} items: ${result.error}`);
			return result.output.length;
		};
	}
	const output = { outputMode: job.mode, ...(job.mode === 'file' ? { fileFormat: job.fileFormat } : {}) };
	return async ({ snapshotId, collector }) => {
		const parameters =
			job.kind === 'getDataset' ? getDatasetParams(snapshotId, output) : triggerAndWaitParams(collector, { ...output, ...LONG_TIMEOUT });
		const result = await runNodeAt({ url: job.baseUrl, token: job.token }, parameters, [{ url: 'https://bench.example/big' }]);
		if (result.status !== 'success') throw new Error(`${job.kind} ${job.mode}: ${result.error}`);
		return job.mode === 'rows' ? result.output.length : Number(result.output[0]?.json.count ?? 0);
	};
}

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2]) as WorkerCase;
	const baseline = job.kind === 'baseline' ? await baselineRun(job) : undefined;
	const run = baseline?.run ?? (await nodeRun(job));

	await run(job.warmUp); // loads and compiles every code path once, as in a long-running n8n
	gc();
	gc();
	const peak = new PeakMemory();
	apiWait.ms = 0;
	busy.us = 0;
	const started = performance.now();
	// A run that fails (a 1 GB body is past V8's string limit) is a measurement too: its reason is reported.
	const outcome = await run(job.target).then(
		(rows) => ({ rows }),
		(error: unknown) => ({ rows: 0, failure: failureReason(error) }),
	);
	const ms = performance.now() - started;
	const result: WorkerResult = {
		ms,
		apiWaitMs: apiWait.ms,
		peakGrowthBytes: peak.growth(),
		memoryMethod: peak.method,
		busyMs: busy.us / 1000,
		bodyBytes: baseline?.bodyBytes(),
		...outcome,
	};
	process.send?.(result);
}

/** The first line of an error, named plainly when it is V8's string length limit. */
function failureReason(error: unknown): string {
	const message = (error instanceof Error ? error.message : String(error)).split('\n')[0];
	return /string longer than|ERR_STRING_TOO_LONG/i.test(message) ? `over V8's 512 MB string limit (${message})` : message;
}

main()
	.catch((error: unknown) => {
		process.send?.({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
		process.exitCode = 1;
	})
	.finally(() => process.disconnect?.());
