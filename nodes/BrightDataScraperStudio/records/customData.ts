import type { IExecuteFunctions } from 'n8n-workflow';

import type { LogContext } from './log';

// Custom data names the jobs an execution started, so the executions list can be filtered by them. n8n allows 10 keys
// per execution and 255 characters a value (longer ones are cut and logged as errors): so few keys.
/** How many jobs this execution started, all nodes together. */
export const JOBS_KEY = 'brightdata_jobs';
/** The snapshot IDs, comma-separated, as many of the first ones as fit in one value. */
export const SNAPSHOT_IDS_KEY = 'brightdata_snapshot_ids';
/** The collectors the AI built or is building, comma-separated like the snapshot IDs. */
export const COLLECTOR_IDS_KEY = 'brightdata_collector_ids';
export const MAX_VALUE_LENGTH = 255;

type CustomDataContext = Pick<IExecuteFunctions, 'customData'> & LogContext;

/** Adds `id` to the list under `key` while it fits in one value (and counts a job); never fails the node. */
function record(ctx: CustomDataContext, key: string, id: string, what: string): void {
	try {
		const listed = String(ctx.customData.get(key) ?? '');
		const next = listed ? `${listed},${id}` : id;
		if (next.length <= MAX_VALUE_LENGTH) ctx.customData.set(key, next);
		// The IDs first: when the workflow's own keys leave room for one more, the IDs matter more.
		if (key === SNAPSHOT_IDS_KEY)
			ctx.customData.set(JOBS_KEY, String((Number(ctx.customData.get(JOBS_KEY) ?? 0) || 0) + 1));
	} catch (error) {
		// A host without custom data (or with its 10 keys used up by the workflow) still runs the job.
		ctx.logger.debug(
			`Bright Data: could not record ${what} ${id} in the execution's custom data: ${(error as Error).message}`,
		);
	}
}

export const recordSnapshotId = (ctx: CustomDataContext, snapshotId: string) =>
	record(ctx, SNAPSHOT_IDS_KEY, snapshotId, 'snapshot');

export const recordCollectorId = (ctx: CustomDataContext, collectorId: string) =>
	record(ctx, COLLECTOR_IDS_KEY, collectorId, 'collector');
