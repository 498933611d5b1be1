import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { pollUntilReady, type DatasetReader, type PollResult } from '../../shared/snapshot/polling';
import { plural } from '../../shared/plural';
import { elapsedSeconds, secondsToMs } from '../../shared/timing';
import { cancelSignal } from '../../shared/transport';
import { asNodeError } from '../../shared/transport/errors';
import { countsOf, type FileOrRows } from '../output/datasetFile';
import type { WaitOptions } from '../options/wait';
import { logEvent, logGaveUp } from '../records/log';
import { cancelJob } from './trigger';
import type { TriggeredJob } from './types';

/** The jobs this node started and waits for: cancelled on a timeout or a stop, as the wait options say. */
export interface StartedJobs {
	/** This snapshot's job: its checks count from its trigger's answer. */
	job: Pick<TriggeredJob, 'startEta' | 'triggeredAt'>;
	/** The snapshots of the unfinished jobs, this one first. */
	unfinished: string[];
}

/** Ready, or timed out with On Timeout "Output the Snapshot ID": the item that stands for the snapshot. */
export type WaitResult<Ready> = (Ready | { kind: 'timedOut'; item: INodeExecutionData }) & {
	polls: number;
};

/** Waits for one snapshot of `items`, showing and logging each check, then applies On Timeout; `startedAt` starts the one timeout. */
export async function waitForSnapshot<Ready extends FileOrRows>(
	ctx: IExecuteFunctions,
	snapshotId: string,
	reader: DatasetReader<Ready>,
	items: number[],
	wait: WaitOptions,
	startedAt: number,
	started?: StartedJobs,
): Promise<WaitResult<Ready>> {
	const [itemIndex] = items;
	let checks = 0;
	let result: PollResult<Ready>;
	try {
		result = await pollUntilReady(ctx, snapshotId, {
			reader,
			intervalSeconds: wait.intervalSeconds,
			deadline: startedAt + secondsToMs(wait.timeoutSeconds),
			startedAt: started?.job.triggeredAt ?? startedAt,
			startEta: started?.job.startEta,
			itemIndex,
			onPending: ({ status, retryInSeconds }) => {
				checks++;
				const hint =
					retryInSeconds === undefined ? '' : `, Bright Data says try again in ${retryInSeconds} s`;
				logEvent(
					ctx,
					`snapshot ${snapshotId} not ready: ${status}`,
					{
						snapshotId,
						status,
						check: checks,
						...(retryInSeconds === undefined ? {} : { retryInSeconds }),
					},
					{ detail: `status check ${checks}${hint}`, level: 'debug' },
				);
				ctx.sendMessageToUI(
					`Bright Data snapshot ${snapshotId}: ${status}, ${elapsedSeconds(startedAt)} s`,
				);
			},
		});
	} catch (error) {
		const stopped = cancelSignal(ctx)?.aborted === true;
		logGaveUp(ctx, snapshotId, stopped ? 'stopped' : 'error', (error as Error).message);
		// After a stop the cancel requests ignore the fired cancel signal; their failures are only logged.
		for (const id of stopped && wait.cancelOnStop ? (started?.unfinished ?? []) : []) {
			await cancelJob(ctx, id, undefined, true).catch((failure: Error) =>
				ctx.logger.warn(`Could not cancel Bright Data job ${id}: ${failure.message}`),
			);
		}
		throw asNodeError(ctx.getNode(), error);
	}
	const seconds = elapsedSeconds(startedAt);
	const checked = plural(result.polls, 'status check');
	if (result.kind === 'ready') {
		const { rows, failed } = countsOf(result);
		logEvent(
			ctx,
			`snapshot ${snapshotId} ready: ${plural(rows, 'row')} (${plural(failed, 'failed input')}) after ${seconds} s and ${checked}`,
			{ snapshotId, rows, failed, seconds, checks: result.polls },
		);
		return result;
	}

	const { status, polls } = result;
	const detail = `status ${status} after ${wait.timeoutSeconds} s and ${checked}`;
	if (wait.onTimeout === 'cancel')
		throw await cancelOnTimeout(
			ctx,
			started?.unfinished ?? [snapshotId],
			detail,
			{ status, itemIndex },
			wait,
		);
	const output = wait.onTimeout === 'output';
	const outputNote = output ? 'its snapshot ID is output, ' : '';
	logGaveUp(ctx, snapshotId, 'timeout', `${detail}; ${outputNote}the job goes on at Bright Data`);
	if (output) {
		const json = {
			snapshot_id: snapshotId,
			ready: false,
			timed_out: true,
			status,
			waited_seconds: seconds,
		};
		return { kind: 'timedOut', item: { json, pairedItem: items.map((item) => ({ item })) }, polls };
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`Snapshot "${snapshotId}" was not ready after ${wait.timeoutSeconds} s (status: ${status})`,
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
	{ status, itemIndex }: { status: string; itemIndex: number },
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
	if (cancelled.length)
		failures.unshift(
			`Cancelled at Bright Data: ${cancelled.join(', ')}. Rows they had already collected may still be in their snapshots (Get Dataset).`,
		);
	return new JobsCancelledError(
		ctx.getNode(),
		`Snapshot "${snapshotIds[0]}" was not ready after ${wait.timeoutSeconds} s (status: ${status}); ${outcome}`,
		{ itemIndex, description: failures.join('\n') },
	);
}
