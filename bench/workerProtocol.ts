/** What parts/bigDatasets.ts sends to worker.ts (argv[2], JSON) and gets back (IPC). */
export type OutputMode = 'rows' | 'allRows' | 'file';
export type FileFormat = 'json' | 'ndjson' | 'csv';

export interface WorkerTarget {
	/** A ready snapshot (Get Dataset, baseline). */
	snapshotId: string;
	/** The collector Trigger and Wait starts a job of. */
	collector: string;
}

export interface WorkerCase {
	/**
	 * baseline: fetch + JSON.parse of a snapshot; getDataset / triggerAndWait: the node on one input;
	 * items: Trigger and Wait on `items` incoming items (one row each); httpRequest: n8n's HTTP
	 * Request node downloading a snapshot (loaded from the real n8n install).
	 */
	kind: 'baseline' | 'getDataset' | 'triggerAndWait' | 'items' | 'httpRequest';
	/** items: how many incoming items. */
	items?: number;
	mode?: OutputMode;
	fileFormat?: FileFormat;
	baseUrl: string;
	token: string;
	timeScale: number;
	/** A small dataset run once before measuring. */
	warmUp: WorkerTarget;
	target: WorkerTarget;
}

export interface WorkerResult {
	/** Wall time of the measured run. */
	ms: number;
	/** The part of it spent between sending a request and receiving its response headers. */
	apiWaitMs: number;
	/** Peak RSS during the measured run minus RSS just before it. */
	peakGrowthBytes: number;
	/** How the peak was read: the kernel's reset high-water mark, or RSS samples every 2 ms. */
	memoryMethod: 'VmHWM' | 'sampling';
	/** Rows the run produced (items, or the count of a whole-dataset item). */
	rows: number;
	/** CPU time (user + system) of the measured node's execute(), or of the whole baseline run. */
	busyMs: number;
	/** Size of the downloaded body, from its Content-Length (baseline only). */
	bodyBytes?: number;
	/** Why the measured run failed; its figures then stop at the failure (NaN when the process died). */
	failure?: string;
}
