import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { collectorLocator } from '../descriptions/collector';
import { inputFields } from '../descriptions/inputs';
import { triggerOptions, waitOptions } from '../descriptions/options';
import { errorItems, itemsOf } from '../helpers/items';
import { mentionStartedJobs, planJobsFromItems, triggerJob } from '../helpers/jobs';
import { readWaitOptions, type WaitOptions } from '../helpers/options';
import { pairRows } from '../helpers/pairing';
import { pollUntilReady } from '../helpers/polling';
import { now, secondsToMs } from '../helpers/timing';
import type { TriggeredJob } from '../helpers/types';

const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [...triggerOptions, ...waitOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export const description = updateDisplayOptions({ show: { operation: ['triggerAndWait'] } }, properties);

/** Waits for one started job and returns its rows, each linked to the item that supplied its input. */
async function collectRows(
	ctx: IExecuteFunctions,
	job: TriggeredJob,
	{ intervalSeconds, timeoutSeconds }: WaitOptions,
	startedAt: number,
): Promise<INodeExecutionData[]> {
	const itemIndex = job.inputs[0].itemIndex;
	const result = await pollUntilReady(ctx, job.snapshotId, {
		intervalSeconds,
		deadline: startedAt + secondsToMs(timeoutSeconds),
		itemIndex,
	});
	if (result.kind === 'timedOut') {
		throw new NodeOperationError(
			ctx.getNode(),
			`Snapshot "${job.snapshotId}" was not ready after ${timeoutSeconds} s (status: ${result.status})`,
			{
				itemIndex,
				description: `Bright Data keeps working on the job. Collect its rows later with the Get Dataset operation and snapshot ID ${job.snapshotId}, or raise the Timeout option.`,
			},
		);
	}
	return pairRows(result.rows, job.inputs).map(({ row, pairedItem }) => ({ json: row, pairedItem }));
}

/**
 * Starts the jobs (one for all items unless "Inputs per Job" splits them), then waits for
 * each in turn. The jobs run at Bright Data at the same time, so once the first is ready the
 * others usually are too: waiting for N jobs costs about the polls of one.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let wait: WaitOptions;
	try {
		// One wait covers all jobs, so its options are read once, before any request.
		wait = readWaitOptions(this, 0);
	} catch (error) {
		return [errorItems(this, error as Error, this.getInputData().map((_, item) => item))];
	}
	const { jobs, invalidItems } = planJobsFromItems(this);
	const output = [...invalidItems];
	const startedAt = now();
	const started: TriggeredJob[] = [];
	for (const job of jobs) {
		try {
			started.push(await triggerJob(this, job));
		} catch (error) {
			output.push(...errorItems(this, mentionStartedJobs(error as Error, started), itemsOf(job.inputs)));
		}
	}
	for (const job of started) {
		try {
			output.push(...(await collectRows(this, job, wait, startedAt)));
		} catch (error) {
			const others = started.filter((other) => other !== job);
			output.push(...errorItems(this, mentionStartedJobs(error as Error, others), itemsOf(job.inputs)));
		}
	}
	return [output];
}
