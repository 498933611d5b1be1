import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { pollUntilReady, type DatasetReader, type PollResult } from '../../shared/snapshot/polling';
import { plural } from '../../shared/plural';
import { elapsedSeconds, secondsToMs } from '../../shared/timing';
import { cancelSignal } from '../../shared/transport';
import { countsOf, type FileOrRows } from '../output/datasetFile';
import type { WaitOptions } from '../parameters/options';
import { logGaveUp, logPending, logReady } from '../records/log';
import { cancelJob } from './trigger';

/** Logs why the wait for a snapshot ended with `error`, and hands the error back to be thrown. */
function endedBy<E extends Error>(ctx: IExecuteFunctions, snapshotId: string, error: E, timedOut?: string): E {
	if (timedOut) logGaveUp(ctx, snapshotId, 'timeout', `${timedOut}: ${error.message}`);
	else if (cancelSignal(ctx)?.aborted) logGaveUp(ctx, snapshotId, 'stopped', error.message);
	else logGaveUp(ctx, snapshotId, 'error', error.message);
	return error;
}

/**
 * Waits for one snapshot with the polling loop (Trigger and Wait, Get Dataset → Wait Until
 * Ready): shows progress in the editor, logs each status check and the outcome, and on timeout
 * follows the On Timeout policy: returns the timed-out result ("output"), or fails, after
 * cancelling the job first with "cancel". `startedAt` starts the node's one timeout.
 */
export async function waitForSnapshot<Ready extends FileOrRows>(
	ctx: IExecuteFunctions,
	snapshotId: string,
	/** rowReader, or the File output's (datasetFile.ts). */
	reader: DatasetReader<Ready>,
	itemIndex: number,
	wait: WaitOptions,
	startedAt: number,
	/** The trigger's start_eta, when the node started the job itself. */
	startEta?: string,
): Promise<PollResult<Ready>> {
	let checks = 0;
	let result: PollResult<Ready>;
	try {
		result = await pollUntilReady(ctx, snapshotId, {
			reader,
			intervalSeconds: wait.intervalSeconds,
			deadline: startedAt + secondsToMs(wait.timeoutSeconds),
			startedAt,
			startEta,
			itemIndex,
			onPending: ({ status, retryInSeconds }) => {
				logPending(ctx, snapshotId, { check: ++checks, status, retryInSeconds });
				ctx.sendMessageToUI(`Bright Data snapshot ${snapshotId}: ${status}, ${elapsedSeconds(startedAt)} s`);
			},
		});
	} catch (error) {
		throw endedBy(ctx, snapshotId, error as Error);
	}
	if (result.kind === 'ready') {
		logReady(ctx, snapshotId, { ...countsOf(result), seconds: elapsedSeconds(startedAt), checks: result.polls });
		return result;
	}

	const detail = `status ${result.status} after ${wait.timeoutSeconds} s and ${plural(result.polls, 'status check')}`;
	if (wait.onTimeout === 'output') {
		logGaveUp(ctx, snapshotId, 'timeout', `${detail}; its snapshot ID is output, the job goes on at Bright Data`);
		return result;
	}
	if (wait.onTimeout === 'cancel') {
		try {
			await cancelJob(ctx, snapshotId, itemIndex);
		} catch (error) {
			throw endedBy(ctx, snapshotId, error as Error, `${detail}; cancelling the job failed`);
		}
		logGaveUp(ctx, snapshotId, 'cancelled', detail);
	} else {
		logGaveUp(ctx, snapshotId, 'timeout', `${detail}; the job goes on at Bright Data`);
	}
	const cancelled = wait.onTimeout === 'cancel';
	throw new NodeOperationError(
		ctx.getNode(),
		`Snapshot "${snapshotId}" was not ready after ${wait.timeoutSeconds} s (status: ${result.status})${cancelled ? '; the job was cancelled' : ''}`,
		{
			itemIndex,
			description: cancelled
				? 'The job was cancelled at Bright Data. Rows it had already collected may still be in the snapshot (Get Dataset).'
				: `Bright Data keeps working on the job. Collect its rows later with Get Dataset (Wait Until Ready on) and snapshot ID ${snapshotId}, or raise the Timeout option.`,
		},
	);
}

/** The item a timed-out snapshot leaves with the "Output the Snapshot ID" policy. */
export const timedOutItem = (snapshotId: string, items: number[], status: string, waitedSeconds: number): INodeExecutionData => ({
	json: { snapshot_id: snapshotId, ready: false, timed_out: true, status, waited_seconds: waitedSeconds },
	pairedItem: items.map((item) => ({ item })),
});
