/**
 * Part 3 — big datasets: 10,000, 100,000 and 1,000,000 rows of about 1 KB. Each measurement runs in
 * its own child process (worker.ts) against the emulator in this process; the cases take turns,
 * round after round, so a slow moment of the machine hits all of them alike. A case that fails
 * (the bare baseline cannot hold a 1 GB body in one string) is reported with its reason.
 */
import { join } from 'node:path';

import { runInChild } from '../child';
import { bigDatasetCollector } from '../collectors';
import { triggerLikeStarter } from '../contenders/starter';
import { startBenchEmulator, type BenchEmulator } from '../emulator';
import { median } from '../measure';
import type { FileFormat, OutputMode, WorkerCase, WorkerResult, WorkerTarget } from '../workerProtocol';

const WORKER = join(__dirname, '..', 'worker.ts');
// Generous: on a shared machine under heavy load a 100,000-row case can take minutes.
const WORKER_TIMEOUT_MS = 600_000;

interface CaseSpec {
	label: string;
	kind: WorkerCase['kind'];
	mode?: OutputMode;
	fileFormat?: FileFormat;
}

const MODES: Array<{ mode: OutputMode; fileFormat?: FileFormat; name: string }> = [
	{ mode: 'rows', name: 'rows' },
	{ mode: 'allRows', name: 'allRows' },
	{ mode: 'file', fileFormat: 'json', name: 'file json' },
	{ mode: 'file', fileFormat: 'ndjson', name: 'file ndjson' },
	{ mode: 'file', fileFormat: 'csv', name: 'file csv' },
];

export const BASELINE_LABEL = 'Bare baseline: fetch + JSON.parse';

export const CASES: CaseSpec[] = [
	{ label: BASELINE_LABEL, kind: 'baseline' },
	...MODES.map(({ mode, fileFormat, name }) => ({ label: `Get Dataset (${name})`, kind: 'getDataset' as const, mode, fileFormat })),
	...MODES.map(({ mode, fileFormat, name }) => ({ label: `Trigger and Wait (${name})`, kind: 'triggerAndWait' as const, mode, fileFormat })),
];

export interface BigSummary {
	rows: number;
	label: string;
	payloadBytes: number;
	runs: number;
	/** Why a run of this case failed; the figures are then those measured up to the failure. */
	failure?: string;
	/** Median client-side ms: wall time minus the wait for the emulator to start answering. */
	ms: number;
	/** Median over rounds of (this case's ms / the baseline's ms in the same round). */
	timeRatio: number;
	peakGrowthBytes: number;
	/** Median peak RSS growth / payload size. */
	memoryRatio: number;
	memoryMethod: WorkerResult['memoryMethod'];
}

export const runWorker = (job: WorkerCase): Promise<WorkerResult> =>
	runInChild<WorkerResult>(WORKER, job, `worker ${job.kind} ${job.mode ?? ''}`, WORKER_TIMEOUT_MS);

/** A worker whose process died (out of memory, timeout) is a failed run with no figures. */
const diedRun = (error: unknown): WorkerResult => ({
	ms: NaN,
	apiWaitMs: 0,
	peakGrowthBytes: NaN,
	memoryMethod: 'VmHWM',
	rows: 0,
	busyMs: NaN,
	failure: error instanceof Error ? error.message : String(error),
});

/** Median of the finite values (a failed run may have no figure); NaN when there are none. */
const finiteMedian = (values: number[]): number => median(values.filter(Number.isFinite));

export async function readySnapshot(emulator: BenchEmulator, collector: string): Promise<string> {
	const snapshotId = await triggerLikeStarter(emulator, collector, [{ url: 'https://bench.example/big' }]);
	emulator.api.finish(snapshotId);
	return snapshotId;
}

export interface BigSettings {
	sizes: number[];
	/** Rounds at each size: a 1,000,000-row round takes minutes. */
	rounds: (rows: number) => number;
	timeScale: number;
}

export async function runBigDatasetsBench({ sizes, rounds, timeScale }: BigSettings): Promise<BigSummary[]> {
	const collectors = [{ id: 'c_bigwarmup', rows: 10 }, ...sizes.map((rows) => ({ id: `c_big${rows}`, rows }))];
	const emulator = await startBenchEmulator({ timeScale, collectors: collectors.map(({ id, rows }) => bigDatasetCollector(id, rows)) });
	try {
		const warmUp: WorkerTarget = { snapshotId: await readySnapshot(emulator, 'c_bigwarmup'), collector: 'c_bigwarmup' };
		const targets = new Map<number, WorkerTarget>();
		for (const rows of sizes) targets.set(rows, { snapshotId: await readySnapshot(emulator, `c_big${rows}`), collector: `c_big${rows}` });

		const results = new Map<string, Array<WorkerResult & { clientMs: number }>>();
		const allRounds = Math.max(...sizes.map(rounds));
		for (let round = 0; round < allRounds; round++) {
			for (const rows of sizes.filter((size) => round < rounds(size))) {
				for (const spec of CASES) {
					const job: WorkerCase = { ...spec, baseUrl: emulator.api.url, token: emulator.api.token, timeScale, warmUp, target: targets.get(rows)! };
					const result = await runWorker(job).catch(diedRun);
					if (!result.failure && result.rows !== rows) throw new Error(`${spec.label}: ${result.rows} rows instead of ${rows}`);
					const key = `${rows}|${spec.label}`;
					results.set(key, [...(results.get(key) ?? []), { ...result, clientMs: result.ms - result.apiWaitMs }]);
				}
			}
		}
		return sizes.flatMap((rows) => {
			const baseline = results.get(`${rows}|${BASELINE_LABEL}`)!;
			const payloadBytes = finiteMedian(baseline.map((run) => run.bodyBytes ?? NaN));
			return CASES.map(({ label }) => {
				const runs = results.get(`${rows}|${label}`)!;
				const growth = finiteMedian(runs.map((run) => run.peakGrowthBytes));
				return {
					rows,
					label,
					payloadBytes,
					runs: runs.length,
					failure: runs.find((run) => run.failure)?.failure,
					ms: finiteMedian(runs.map((run) => run.clientMs)),
					// NaN where either run failed: no ratio to a baseline that could not finish.
					timeRatio: finiteMedian(runs.map((run, round) => (run.failure || baseline[round].failure ? NaN : run.clientMs / baseline[round].clientMs))),
					peakGrowthBytes: growth,
					memoryRatio: growth / payloadBytes,
					memoryMethod: runs.some((run) => run.memoryMethod === 'sampling') ? 'sampling' : 'VmHWM',
				};
			});
		});
	} finally {
		await emulator.close();
	}
}
