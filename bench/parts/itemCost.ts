/**
 * Part 2b — cost per item: Trigger and Wait on N incoming items (one row of about 1 KB each,
 * default options: one job per DEFAULT_INPUTS_PER_JOB items) against the same number of rows fetched by n8n's HTTP Request
 * node and by a bare fetch + JSON.parse. Each measurement runs in its own child process
 * (worker.ts) with the emulator in this process, so the CPU time the child spends is the client's.
 */
import { existsSync } from 'node:fs';

import { bigDatasetCollector, bigRow } from '../collectors';
import { startBenchEmulator } from '../emulator';
import { median } from '../measure';
import { N8N_NODES_BASE } from '../workerPaths';
import type { CollectorSpec } from '../../emulator/server';
import type { WorkerCase, WorkerResult } from '../workerProtocol';
import { readySnapshot, runWorker } from './bigDatasets';

export const ITEMS_LABEL = 'Trigger and Wait, N items (default options)';
export const HTTP_LABEL = "n8n's HTTP Request node, N rows";
export const BARE_LABEL = 'Bare fetch + JSON.parse, N rows';

export interface ItemCostSummary {
	items: number;
	label: string;
	runs: number;
	/** Median CPU ms inside the node's execute() (the bare case: of the download and parse). */
	busyMs: number;
	/** busyMs per item, in µs. */
	usPerItem: number;
	/** Median of the per-round ratios to the HTTP Request node and to the bare case (NaN when not measured). */
	vsHttp: number;
	vsBare: number;
	peakGrowthBytes: number;
}

/** One row per input, about 1 KB, chosen by the index in the input's URL. */
function itemsCollector(id: string, rows: Array<ReturnType<typeof bigRow>>): CollectorSpec {
	return {
		id,
		name: `Bench ${id}`,
		mode: 'batch',
		inputFields: ['url'],
		outputFields: {},
		readySeconds: 1,
		issues: () => undefined,
		makeRow: (input) => rows[Number.parseInt(String(input.url).split('/').pop() ?? '0', 36) % rows.length],
	};
}

export const httpRequestAvailable = (): boolean => existsSync(N8N_NODES_BASE);

export async function runItemCostBench({ sizes, rounds }: { sizes: number[]; rounds: (items: number) => number }): Promise<ItemCostSummary[]> {
	const largest = Math.max(...sizes);
	const rows = Array.from({ length: largest }, (_, index) => bigRow(index));
	const timeScale = 1000;
	const emulator = await startBenchEmulator({
		timeScale,
		collectors: [
			itemsCollector('c_items', rows),
			itemsCollector('c_itemswarm', rows),
			bigDatasetCollector('c_rowswarm', 10),
			...sizes.map((size) => bigDatasetCollector(`c_rows${size}`, size)),
		],
	});
	const withHttp = httpRequestAvailable();
	try {
		const warmSnapshot = await readySnapshot(emulator, 'c_rowswarm');
		const results = new Map<string, WorkerResult[]>();
		for (const size of sizes) {
			const snapshotId = await readySnapshot(emulator, `c_rows${size}`);
			const base = { baseUrl: emulator.api.url, token: emulator.api.token, timeScale };
			const cases: Array<{ label: string; job: WorkerCase }> = [
				{ label: BARE_LABEL, job: { ...base, kind: 'baseline', warmUp: { snapshotId: warmSnapshot, collector: '' }, target: { snapshotId, collector: '' } } },
				...(withHttp
					? [{ label: HTTP_LABEL, job: { ...base, kind: 'httpRequest' as const, warmUp: { snapshotId: warmSnapshot, collector: '' }, target: { snapshotId, collector: '' } } }]
					: []),
				{
					label: ITEMS_LABEL,
					job: { ...base, kind: 'items', items: size, warmUp: { snapshotId: '', collector: 'c_itemswarm' }, target: { snapshotId: '', collector: 'c_items' } },
				},
			];
			for (let round = 0; round < rounds(size); round++) {
				for (const { label, job } of cases) {
					const result = await runWorker(job);
					if (result.rows !== size) throw new Error(`${label}: ${result.failure ?? `${result.rows} rows instead of ${size}`}`);
					const key = `${size}|${label}`;
					results.set(key, [...(results.get(key) ?? []), result]);
				}
			}
		}
		return sizes.flatMap((items) => {
			const runsOf = (label: string) => results.get(`${items}|${label}`) ?? [];
			const ratio = (runs: WorkerResult[], label: string) => {
				const other = runsOf(label);
				return other.length ? median(runs.map((run, round) => run.busyMs / other[round].busyMs)) : NaN;
			};
			return [BARE_LABEL, HTTP_LABEL, ITEMS_LABEL]
				.filter((label) => runsOf(label).length)
				.map((label) => {
					const runs = runsOf(label);
					const busyMs = median(runs.map((run) => run.busyMs));
					return {
						items,
						label,
						runs: runs.length,
						busyMs,
						usPerItem: (busyMs * 1000) / items,
						vsHttp: ratio(runs, HTTP_LABEL),
						vsBare: ratio(runs, BARE_LABEL),
						peakGrowthBytes: median(runs.map((run) => run.peakGrowthBytes)),
					};
				});
		});
	} finally {
		await emulator.close();
	}
}
