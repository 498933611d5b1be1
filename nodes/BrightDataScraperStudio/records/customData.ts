import type { IExecuteFunctions } from 'n8n-workflow';

import type { LogContext } from './log';

// Custom data names the jobs an execution started, so the executions list can be filtered by them. n8n allows 10 keys
// per execution and 255 characters a value (longer ones are cut and logged as errors): so few keys.
/** How many jobs this execution started, all nodes together. */
export const JOBS_KEY = 'brightdata_jobs';
/** The snapshot IDs, comma-separated, as many of the first ones as fit in one value. */
export const SNAPSHOT_IDS_KEY = 'brightdata_snapshot_ids';
export const MAX_VALUE_LENGTH = 255;

type CustomDataContext = Pick<IExecuteFunctions, 'customData'> & LogContext;

/** The collectors the AI built or is building, comma-separated like the snapshot IDs. */
export const COLLECTOR_IDS_KEY = 'brightdata_collector_ids';

/** Adds `id` to the comma-separated list under `key` while it fits in one value. */
function appendId(ctx: CustomDataContext, key: string, id: string): void {
	const listed = String(ctx.customData.get(key) ?? '');
	const next = listed ? `${listed},${id}` : id;
	if (next.length <= MAX_VALUE_LENGTH) ctx.customData.set(key, next);
}

/** Runs `record`, which never fails the node (the log line names the ID anyway). */
function safely(ctx: CustomDataContext, id: string, record: () => void): void {
	try {
		record();
	} catch (error) {
		// A host without custom data (or with its 10 keys used up by the workflow) still runs the job.
		ctx.logger.debug(
			`Bright Data: could not record ${id} in the execution's custom data: ${(error as Error).message}`,
		);
	}
}

export function recordSnapshotId(ctx: CustomDataContext, snapshotId: string): void {
	safely(ctx, `snapshot ${snapshotId}`, () => {
		// The IDs first: when the workflow's own keys leave room for one more, the IDs matter more.
		appendId(ctx, SNAPSHOT_IDS_KEY, snapshotId);
		const jobs = Number(ctx.customData.get(JOBS_KEY) ?? 0) || 0;
		ctx.customData.set(JOBS_KEY, String(jobs + 1));
	});
}

export function recordCollectorId(ctx: CustomDataContext, collectorId: string): void {
	safely(ctx, `collector ${collectorId}`, () => appendId(ctx, COLLECTOR_IDS_KEY, collectorId));
}
