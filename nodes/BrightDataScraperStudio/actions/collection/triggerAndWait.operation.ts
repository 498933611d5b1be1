import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { collectorLocator } from '../../descriptions/collector';
import { deliveryField } from '../../descriptions/delivery';
import { inputFields } from '../../descriptions/inputs';
import { optionsCollection, triggerOptions, waitOptions } from '../../descriptions/options';
import { outputFields, rowOptions } from '../../descriptions/output';
import { errorItems, itemsOf } from '../../helpers/items';
import { cancelJob, cancelJobsAfterStop, mentionStartedJobs, planJobsFromItems, triggerJob } from '../../helpers/jobs';
import { readOutputSettings, readWaitOptions, type OutputSettings, type WaitOptions } from '../../helpers/options';
import { datasetFileReader, type DatasetFile } from '../../helpers/datasetFile';
import { pollUntilReady, rowReader, type DatasetReader, type PollResult } from '../../helpers/polling';
import { datasetFileName, shapeJobRows, shapeStreamedFile } from '../../helpers/output';
import { elapsedSeconds, now, secondsToMs } from '../../helpers/timing';
import type { JobPlan, Row, TriggeredJob } from '../../helpers/types';
import { cancelSignal } from '../../transport';
import { triggerAndWaitForNotification } from './resumeOnNotification';

const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		default: 'poll',
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description: 'Check the snapshot from inside the execution until it is ready (holds a worker while it waits)',
			},
			{
				name: 'Resume on Notification',
				value: 'notification',
				description:
					'Ask Bright Data to call this execution back when the job is done; the execution waits in the database and frees the worker',
			},
		],
	},
	{
		displayName:
			'Bright Data must be able to reach this n8n over the internet: set WEBHOOK_URL to its public address. The timeout is also sent as the job\'s deadline. If no call comes within the timeout plus 5 minutes, the node outputs the snapshot IDs with timed_out: true.',
		name: 'notificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitMode: ['notification'] } },
	},
	...outputFields,
	optionsCollection([...triggerOptions, ...waitOptions, ...rowOptions('separate')]),
	deliveryField,
];

export const description = updateDisplayOptions({ show: { resource: ['collection'], operation: ['triggerAndWait'] } }, properties);

/** Starts every planned job; a job that cannot start becomes error items (or the error). */
async function startJobs(ctx: IExecuteFunctions, jobs: JobPlan[], output: INodeExecutionData[]): Promise<TriggeredJob[]> {
	const started: TriggeredJob[] = [];
	for (const job of jobs) {
		try {
			started.push(await triggerJob(ctx, job));
		} catch (error) {
			output.push(...errorItems(ctx, mentionStartedJobs(error as Error, started), itemsOf(job.inputs)));
		}
	}
	return started;
}

/** Waits for one job; on timeout follows the On Timeout policy. */
async function waitForJob<Ready extends { kind: 'ready' }>(
	ctx: IExecuteFunctions,
	job: TriggeredJob,
	wait: WaitOptions,
	startedAt: number,
	reader: DatasetReader<Ready>,
): Promise<PollResult<Ready>> {
	const itemIndex = job.inputs[0].itemIndex;
	const result = await pollUntilReady(ctx, job.snapshotId, {
		reader,
		intervalSeconds: wait.intervalSeconds,
		deadline: startedAt + secondsToMs(wait.timeoutSeconds),
		itemIndex,
		onPending: ({ status }) =>
			ctx.sendMessageToUI(`Bright Data snapshot ${job.snapshotId}: ${status}, ${elapsedSeconds(startedAt)} s`),
	});
	if (result.kind === 'ready' || wait.onTimeout === 'output') return result;
	if (wait.onTimeout === 'cancel') await cancelJob(ctx, job.snapshotId, itemIndex);
	const cancelled = wait.onTimeout === 'cancel';
	throw new NodeOperationError(
		ctx.getNode(),
		`Snapshot "${job.snapshotId}" was not ready after ${wait.timeoutSeconds} s (status: ${result.status})${cancelled ? '; the job was cancelled' : ''}`,
		{
			itemIndex,
			description: cancelled
				? 'The job was cancelled at Bright Data. Rows it had already collected may still be in the snapshot (Get Dataset).'
				: `Bright Data keeps working on the job. Collect its rows later with the Get Dataset operation and snapshot ID ${job.snapshotId}, or raise the Timeout option.`,
		},
	);
}

/** The item a timed-out job leaves with the "Output the Snapshot ID" policy. */
const timedOutItem = (job: TriggeredJob, status: string, waitedSeconds: number): INodeExecutionData => ({
	json: { snapshot_id: job.snapshotId, ready: false, timed_out: true, status, waited_seconds: waitedSeconds },
	pairedItem: itemsOf(job.inputs).map((item) => ({ item })),
});

/** "j_1" or "j_1, j_2, j_3 and 7 more". */
function describeSnapshots(jobs: TriggeredJob[]): string {
	const ids = jobs.map(({ snapshotId }) => snapshotId);
	return ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
}

function readSettings(ctx: IExecuteFunctions): { wait: WaitOptions; output: OutputSettings } {
	// One wait covers all jobs, so its options are read once, before any request.
	return { wait: readWaitOptions(ctx, 0), output: readOutputSettings(ctx, 0, 'separate') };
}

/**
 * Starts the jobs (one for all items unless "Inputs per Job" splits them), then waits for
 * each in turn. The jobs run at Bright Data at the same time, so once the first is ready the
 * others usually are too: waiting for N jobs costs about the polls of one.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let settings: ReturnType<typeof readSettings>;
	try {
		settings = readSettings(this);
	} catch (error) {
		return [errorItems(this, error as Error, this.getInputData().map((_, item) => item))];
	}
	const { wait, output: outputSettings } = settings;
	if (wait.mode === 'notification') return await triggerAndWaitForNotification.call(this, wait, outputSettings);
	const { jobs, invalidItems } = planJobsFromItems(this);
	const main = [...invalidItems];
	const startedAt = now();
	const started = await startJobs(this, jobs, main);

	// One job's File output is written while it downloads; with a Row Limit or several jobs the
	// rows are needed in input order first (shapeJobRows).
	const streamFile = outputSettings.mode === 'file' && !outputSettings.rowLimit && started.length === 1;
	const ready: Array<{ job: TriggeredJob; rows: Row[] }> = [];
	let file: DatasetFile | undefined;
	let polls = 0;
	for (const [index, job] of started.entries()) {
		try {
			const reader = streamFile
				? datasetFileReader(this, outputSettings, datasetFileName([job.snapshotId], outputSettings.fileFormat))
				: undefined;
			const result = reader ? await waitForJob(this, job, wait, startedAt, reader) : await waitForJob(this, job, wait, startedAt, rowReader);
			polls += result.polls;
			if (result.kind === 'timedOut') {
				main.push(timedOutItem(job, result.status, elapsedSeconds(startedAt)));
				continue;
			}
			if ('binary' in result) file = result;
			else ready.push({ job, rows: result.rows });
		} catch (error) {
			if (wait.cancelOnStop && cancelSignal(this)?.aborted) await cancelJobsAfterStop(this, started.slice(index));
			const others = started.filter((other) => other !== job);
			main.push(...errorItems(this, mentionStartedJobs(error as Error, others), itemsOf(job.inputs)));
		}
	}

	const shaped = file ? shapeStreamedFile(file, outputSettings, started[0]) : await shapeJobRows(this, ready, outputSettings);
	const readyJobs = file ? started : ready.map(({ job }) => job);
	if (readyJobs.length) {
		const inputs = readyJobs.reduce((count, job) => count + job.inputs.length, 0);
		const failedNote = shaped.failedCount ? ` ${shaped.failedCount} of ${inputs} inputs failed.` : '';
		const emptyNote = shaped.rowCount
			? ''
			: ' The job finished without rows: the collector found nothing, or its delivery settings leave rows out.';
		this.addExecutionHints({
			message: `Collected ${shaped.rowCount} rows from snapshot ${describeSnapshots(readyJobs)} in ${elapsedSeconds(startedAt)} s with ${polls} status checks.${failedNote}${emptyNote}`,
			type: shaped.failedCount || !shaped.rowCount ? 'warning' : 'info',
			location: 'outputPane',
		});
	}
	return outputSettings.failedRows === 'separate' ? [[...main, ...shaped.main], shaped.failed] : [[...main, ...shaped.main]];
}
