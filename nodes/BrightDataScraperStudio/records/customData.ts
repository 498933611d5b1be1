import type { IExecuteFunctions } from 'n8n-workflow';

import type { LogContext } from './log';

/**
 * The execution's custom data names the jobs it started, so an operator can find in n8n's
 * executions list (and filter it) which execution started which job. n8n allows 10 keys per
 * execution, keys of letters, digits and underscores, and values of 255 characters (longer
 * ones are cut and logged as errors). So two keys only:
 */
/** How many jobs this execution started, all nodes together. */
export const JOBS_KEY = 'brightdata_jobs';
/** The snapshot IDs, comma-separated, as many of the first ones as fit in one value. */
export const SNAPSHOT_IDS_KEY = 'brightdata_snapshot_ids';
export const MAX_VALUE_LENGTH = 255;

type CustomDataContext = Pick<IExecuteFunctions, 'customData'> & LogContext;

/** Adds a started job to the execution's custom data; never fails the node (the log line names the job anyway). */
export function recordSnapshotId(ctx: CustomDataContext, snapshotId: string): void {
	try {
		const { customData } = ctx;
		// The IDs first: when the workflow's own keys leave room for one more, the IDs matter more.
		const listed = String(customData.get(SNAPSHOT_IDS_KEY) ?? '');
		const next = listed ? `${listed},${snapshotId}` : snapshotId;
		if (next.length <= MAX_VALUE_LENGTH) customData.set(SNAPSHOT_IDS_KEY, next);
		const jobs = Number(customData.get(JOBS_KEY) ?? 0) || 0;
		customData.set(JOBS_KEY, String(jobs + 1));
	} catch (error) {
		// A host without custom data (or with its 10 keys used up by the workflow) still runs the job.
		ctx.logger.debug(`Bright Data: could not record snapshot ${snapshotId} in the execution's custom data: ${(error as Error).message}`);
	}
}
