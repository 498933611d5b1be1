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

import { PeakMemory } from './measure';
import type { WorkerCase, WorkerResult } from './workerProtocol';

declare const gc: () => void;

type Run = (target: { snapshotId: string; collector: string }) => Promise<number>;

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
		const text = await response.text();
		bodyBytes = Buffer.byteLength(text);
		return (JSON.parse(text) as unknown[]).length;
	};
	return { run, bodyBytes: () => bodyBytes };
}

async function nodeRun(job: WorkerCase): Promise<Run> {
	// Loaded only for node cases, after ./env has set n8n's environment.
	const { Container } = await import('@n8n/di');
	const { BinaryDataService } = await import('n8n-core');
	const { getDatasetParams, runNodeAt, triggerAndWaitParams } = await import('./contenders/node');
	const { timing } = await import('../nodes/shared/timing');

	// n8n 2's default binary data mode for a regular instance: files go to disk, not into memory.
	await Container.get(BinaryDataService).init();
	timing.msPerSecond = 1000 / job.timeScale;
	const output = { outputMode: job.mode, ...(job.mode === 'file' ? { fileFormat: job.fileFormat } : {}) };
	return async ({ snapshotId, collector }) => {
		const parameters =
			job.kind === 'getDataset' ? getDatasetParams(snapshotId, output) : triggerAndWaitParams(collector, output);
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
	const started = performance.now();
	const rows = await run(job.target);
	const ms = performance.now() - started;
	const result: WorkerResult = {
		ms,
		apiWaitMs: apiWait.ms,
		peakGrowthBytes: peak.growth(),
		memoryMethod: peak.method,
		rows,
		bodyBytes: baseline?.bodyBytes(),
	};
	process.send?.(result);
}

main()
	.catch((error: unknown) => {
		process.send?.({ error: error instanceof Error ? error.stack ?? error.message : String(error) });
		process.exitCode = 1;
	})
	.finally(() => process.disconnect?.());
