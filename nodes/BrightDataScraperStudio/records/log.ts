import type { IExecuteFunctions, LogMetadata } from 'n8n-workflow';

import { plural } from '../../shared/plural';

// n8n's text log format prints only the message, so each one names the snapshot, node and execution (also as metadata).
// Only IDs, counts, statuses and error messages: never a query, a body, the token or a delivery setting (secrets).
export type LogContext = Pick<IExecuteFunctions, 'logger' | 'getNode' | 'getExecutionId'>;

function where(ctx: LogContext): { text: string; metadata: LogMetadata } {
	let executionId: string | undefined;
	try {
		executionId = ctx.getExecutionId();
	} catch {
		// Some hosts have no execution ID in some contexts; the line is still useful without it.
	}
	const node = ctx.getNode().name;
	return {
		text: `node "${node}"${executionId ? `, execution ${executionId}` : ''}`,
		metadata: { node, ...(executionId ? { executionId } : {}) },
	};
}

function write(
	ctx: LogContext,
	level: 'info' | 'debug',
	message: (where: string) => string,
	metadata: LogMetadata,
): void {
	const context = where(ctx);
	try {
		ctx.logger[level](`Bright Data: ${message(context.text)}`, {
			...context.metadata,
			...metadata,
		});
	} catch {
		// Logging must never fail the job it reports on.
	}
}

export function logJobStarted(
	ctx: LogContext,
	job: { snapshotId: string; collector: string; inputs: unknown[] },
): void {
	write(
		ctx,
		'info',
		(at) =>
			`job started, snapshot ${job.snapshotId} (collector ${job.collector}, ${plural(job.inputs.length, 'input')}; ${at})`,
		{ snapshotId: job.snapshotId, collector: job.collector, inputs: job.inputs.length },
	);
}

export function logRerunStarted(
	ctx: LogContext,
	job: { snapshotId: string; rerunOf: string; failedOnly: boolean },
): void {
	write(
		ctx,
		'info',
		(at) =>
			`job started, snapshot ${job.snapshotId} (rerun of ${job.rerunOf}${job.failedOnly ? ', failed inputs only' : ''}; ${at})`,
		{ snapshotId: job.snapshotId, rerunOf: job.rerunOf, failedOnly: job.failedOnly },
	);
}

export function logPending(
	ctx: LogContext,
	snapshotId: string,
	{ check, status, retryInSeconds }: { check: number; status: string; retryInSeconds?: number },
): void {
	const hint =
		retryInSeconds === undefined ? '' : `, Bright Data says try again in ${retryInSeconds} s`;
	write(
		ctx,
		'debug',
		(at) => `snapshot ${snapshotId} not ready: ${status} (status check ${check}${hint}; ${at})`,
		{
			snapshotId,
			status,
			check,
			...(retryInSeconds === undefined ? {} : { retryInSeconds }),
		},
	);
}

export function logReady(
	ctx: LogContext,
	snapshotId: string,
	{
		rows,
		failed,
		seconds,
		checks,
	}: { rows: number; failed: number; seconds: number; checks: number },
): void {
	write(
		ctx,
		'info',
		(at) =>
			`snapshot ${snapshotId} ready: ${plural(rows, 'row')} (${plural(failed, 'failed input')}) after ${seconds} s and ${plural(checks, 'status check')} (${at})`,
		{ snapshotId, rows, failed, seconds, checks },
	);
}

export function logParked(ctx: LogContext, snapshotIds: string[], until: Date): void {
	write(
		ctx,
		'info',
		(at) =>
			`waiting for Bright Data's notification for snapshot ${snapshotIds.join(', ')} until ${until.toISOString()}, the execution parked (${at})`,
		{ snapshotIds, until: until.toISOString() },
	);
}

export function logResumed(
	ctx: LogContext,
	snapshotIds: string[],
	{ rows, failed }: { rows: number; failed: number },
): void {
	write(
		ctx,
		'info',
		(at) =>
			`snapshot ${snapshotIds.join(', ')} ready: ${plural(rows, 'row')} (${plural(failed, 'failed input')}), resumed by Bright Data's notification (${at})`,
		{
			snapshotIds,
			rows,
			failed,
		},
	);
}

type GiveUpReason = 'timeout' | 'cancelled' | 'stopped' | 'error';

const GIVE_UP_TEXT: Record<GiveUpReason, string> = {
	timeout: 'not ready within the timeout',
	cancelled: 'not ready within the timeout; the job was cancelled at Bright Data',
	stopped: 'the execution was stopped',
	error: 'the wait failed',
};

/** The node stopped waiting; the job may still be running (and billed) at Bright Data. */
export function logGaveUp(
	ctx: LogContext,
	snapshotId: string,
	reason: GiveUpReason,
	detail: string,
): void {
	write(
		ctx,
		'info',
		(at) =>
			`stopped waiting for snapshot ${snapshotId}: ${GIVE_UP_TEXT[reason]} (${detail}; ${at})`,
		{
			snapshotId,
			reason,
		},
	);
}

export function logCollector(ctx: LogContext, collectorId: string, what: string): void {
	write(ctx, 'info', (at) => `collector ${collectorId}: ${what} (${at})`, { collectorId });
}
