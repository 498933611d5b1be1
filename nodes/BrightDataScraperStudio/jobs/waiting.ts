import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { pollUntilReady, type DatasetReader, type PollResult } from '../../shared/snapshot/polling';
import { plural } from '../../shared/plural';
import { elapsedSeconds, secondsToMs } from '../../shared/timing';
import { cancelSignal } from '../../shared/transport';
import { countsOf, type FileOrRows } from '../output/datasetFile';
import type { WaitOptions } from '../options/wait';
import { logEvent, logGaveUp } from '../records/log';
import { cancelJob } from './trigger';
import type { TriggeredJob } from './types';

/** Waits for one snapshot, showing and logging each check, then applies On Timeout; `startedAt` starts the one timeout. */
export async function waitForSnapshot<Ready extends FileOrRows>(
	ctx: IExecuteFunctions,
	snapshotId: string,
	/** rowReader, or the File output's (datasetFile.ts). */
	reader: DatasetReader<Ready>,
	itemIndex: number,
	wait: WaitOptions,
	startedAt: number,
	/** The job, when the node started it: its checks count from its trigger's answer. */
	job?: Pick<TriggeredJob, 'startEta' | 'triggeredAt'>,
	/** On Timeout "cancel": the unfinished jobs this node started, this one first. */
	unfinished?: string[],
): Promise<PollResult<Ready>> {
	let checks = 0;
	let result: PollResult<Ready>;
	try {
		result = await pollUntilReady(ctx, snapshotId, {
			reader,
			intervalSeconds: wait.intervalSeconds,
			deadline: startedAt + secondsToMs(wait.timeoutSeconds),
			startedAt: job?.triggeredAt ?? startedAt,
			startEta: job?.startEta,
			itemIndex,
			onPending: ({ status, retryInSeconds }) => {
				checks++;
				const hint =
					retryInSeconds === undefined ? '' : `, Bright Data says try again in ${retryInSeconds} s`;
				logEvent(
					ctx,
					`snapshot ${snapshotId} not ready: ${status}`,
					{ snapshotId, status, check: checks, ...(hint ? { retryInSeconds } : {}) },
					{ detail: `status check ${checks}${hint}`, level: 'debug' },
				);
				ctx.sendMessageToUI(
					`Bright Data snapshot ${snapshotId}: ${status}, ${elapsedSeconds(startedAt)} s`,
				);
			},
		});
	} catch (error) {
		const failure = error as Error;
		logGaveUp(ctx, snapshotId, cancelSignal(ctx)?.aborted ? 'stopped' : 'error', failure.message);
		throw failure;
	}
	if (result.kind === 'ready') {
		const { rows, failed } = countsOf(result);
		const seconds = elapsedSeconds(startedAt);
		logEvent(
			ctx,
			`snapshot ${snapshotId} ready: ${plural(rows, 'row')} (${plural(failed, 'failed input')}) after ${seconds} s and ${plural(result.polls, 'status check')}`,
			{ snapshotId, rows, failed, seconds, checks: result.polls },
		);
		return result;
	}

	const detail = `status ${result.status} after ${wait.timeoutSeconds} s and ${plural(result.polls, 'status check')}`;
	if (wait.onTimeout === 'output') {
		logGaveUp(
			ctx,
			snapshotId,
			'timeout',
			`${detail}; its snapshot ID is output, the job goes on at Bright Data`,
		);
		return result;
	}
	if (wait.onTimeout === 'cancel')
		throw await cancelOnTimeout(
			ctx,
			unfinished ?? [snapshotId],
			detail,
			result.status,
			itemIndex,
			wait,
		);
	logGaveUp(ctx, snapshotId, 'timeout', `${detail}; the job goes on at Bright Data`);
	throw new NodeOperationError(
		ctx.getNode(),
		`Snapshot "${snapshotId}" was not ready after ${wait.timeoutSeconds} s (status: ${result.status})`,
		{
			itemIndex,
			description: `Bright Data keeps working on the job. Collect its rows later with Get Dataset (Wait Until Ready on) and snapshot ID ${snapshotId}, or raise the Timeout option.`,
		},
	);
}

/** On Timeout "Cancel the Job and Fail" ended the wait, after cancelling every unfinished job. */
export class JobsCancelledError extends NodeOperationError {}

/** Cancels every unfinished job: one timeout covers them all, so the others would only go on billing. */
async function cancelOnTimeout(
	ctx: IExecuteFunctions,
	snapshotIds: string[],
	detail: string,
	status: string,
	itemIndex: number,
	wait: WaitOptions,
): Promise<Error> {
	const cancelled: string[] = [];
	const failures: string[] = [];
	for (const id of snapshotIds) {
		try {
			await cancelJob(ctx, id, itemIndex);
			cancelled.push(id);
			logGaveUp(ctx, id, 'cancelled', detail);
		} catch (error) {
			const reason = (error as Error).message;
			logGaveUp(ctx, id, 'timeout', `${detail}; cancelling the job failed: ${reason}`);
			failures.push(
				`Could not cancel the job of snapshot ${id} (${reason}): if it still runs, cancel it in the Bright Data control panel; if it finished, Get Dataset collects its rows.`,
			);
		}
	}
	const which =
		snapshotIds.length === 1 ? 'the job was' : `the jobs of snapshots ${cancelled.join(', ')} were`;
	const outcome = cancelled.length ? `${which} cancelled` : 'cancelling the job failed';
	const done = cancelled.length
		? [
				`Cancelled at Bright Data: ${cancelled.join(', ')}. Rows they had already collected may still be in their snapshots (Get Dataset).`,
			]
		: [];
	return new JobsCancelledError(
		ctx.getNode(),
		`Snapshot "${snapshotIds[0]}" was not ready after ${wait.timeoutSeconds} s (status: ${status}); ${outcome}`,
		{
			itemIndex,
			description: [...done, ...failures].join('\n'),
		},
	);
}

/** The item a timed-out snapshot leaves with the "Output the Snapshot ID" policy. */
export const timedOutItem = (
	snapshotId: string,
	items: number[],
	status: string,
	waitedSeconds: number,
): INodeExecutionData => ({
	json: {
		snapshot_id: snapshotId,
		ready: false,
		timed_out: true,
		status,
		waited_seconds: waitedSeconds,
	},
	pairedItem: items.map((item) => ({ item })),
});
