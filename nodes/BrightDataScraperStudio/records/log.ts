import type { IExecuteFunctions, LogMetadata } from 'n8n-workflow';

// n8n's text log format prints only the message, so each one names the node and execution (also as metadata).
// Only IDs, counts, statuses and error messages: never a query, a body, the token or a delivery setting (secrets).
export type LogContext = Pick<IExecuteFunctions, 'logger' | 'getNode' | 'getExecutionId'>;

/** One line, "Bright Data: <what> (<detail>; node "N", execution E)"; logging never fails the job it reports on. */
export function logEvent(
	ctx: LogContext,
	what: string,
	metadata: LogMetadata,
	{ detail, level = 'info' }: { detail?: string; level?: 'info' | 'debug' } = {},
): void {
	try {
		let executionId: string | undefined;
		try {
			executionId = ctx.getExecutionId();
		} catch {
			// Some hosts have no execution ID in some contexts; the line is still useful without it.
		}
		const node = ctx.getNode().name;
		const at = `node "${node}"${executionId ? `, execution ${executionId}` : ''}`;
		ctx.logger[level](`Bright Data: ${what} (${detail ? `${detail}; ` : ''}${at})`, {
			node,
			...(executionId ? { executionId } : {}),
			...metadata,
		});
	} catch {
		// As above: a broken logger is no reason to fail.
	}
}

const GIVE_UP_TEXT = {
	timeout: 'not ready within the timeout',
	cancelled: 'not ready within the timeout; the job was cancelled at Bright Data',
	stopped: 'the execution was stopped',
	error: 'the wait failed',
};

/** The node stopped waiting; the job may still be running (and billed) at Bright Data. */
export function logGaveUp(
	ctx: LogContext,
	snapshotId: string,
	reason: keyof typeof GIVE_UP_TEXT,
	detail: string,
): void {
	logEvent(
		ctx,
		`stopped waiting for snapshot ${snapshotId}: ${GIVE_UP_TEXT[reason]}`,
		{ snapshotId, reason },
		{ detail },
	);
}

export const logCollector = (ctx: LogContext, collectorId: string, what: string): void =>
	logEvent(ctx, `collector ${collectorId}: ${what}`, { collectorId });
