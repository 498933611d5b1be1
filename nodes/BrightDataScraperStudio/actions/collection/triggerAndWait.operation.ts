import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { append } from '../../../shared/append';
import { plural } from '../../../shared/plural';
import { elapsedSeconds, now } from '../../../shared/timing';
import { collectorLocator } from '../../descriptions/collector';
import { deliveryField } from '../../descriptions/delivery';
import { inputFields } from '../../descriptions/inputs';
import { errorAfterTrigger, planJobsFromItems, snapshotIdsOf, startJobs } from '../../jobs/trigger';
import { JobsCancelledError, waitForSnapshot } from '../../jobs/waiting';
import { readerFor } from '../../output/datasetFile';
import { errorItems, itemsOf } from '../../output/items';
import { readyJobOutputs, type ReadyJob } from '../../output/shape';
import { optionsCollection } from '../../options/option';
import {
	outputFields,
	readOutputSettings,
	rowOptions,
	type OutputSettings,
} from '../../options/output';
import { triggerOptions } from '../../options/trigger';
import { readWaitOptions, waitOptions, type WaitOptions } from '../../options/wait';
import type { OperationOption } from '../types';
import * as resumeOnNotification from './resumeOnNotification.operation';

export const option: OperationOption = {
	name: 'Trigger and Wait',
	value: 'triggerAndWait',
	description:
		'Start a batch collection, wait until its snapshot is ready, and output one item per scraped row',
	action: 'Trigger collection and wait for rows',
};

export const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		default: 'poll',
		// An agent's tool call cannot be resumed by a webhook later, so a tool always polls.
		displayOptions: { hide: { '@tool': [true] } },
		options: [
			{
				name: 'Poll',
				value: 'poll',
				description: 'Check the snapshot until it is ready; the execution keeps running meanwhile',
			},
			{
				name: 'Resume on Notification',
				value: 'notification',
				description:
					'Ask Bright Data to call this execution back when the job is done; meanwhile the execution is paused and uses no resources',
			},
		],
	},
	...resumeOnNotification.properties,
	...outputFields,
	optionsCollection([...triggerOptions, ...waitOptions, ...rowOptions('separate')]),
	deliveryField,
];

// Waits for the jobs in turn: they run at Bright Data at the same time, so N jobs cost about the polls of one.
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let settings: { wait: WaitOptions; output: OutputSettings };
	try {
		// One wait covers all jobs, so its options are read once, before any request.
		settings = { wait: readWaitOptions(this, 0), output: readOutputSettings(this, 0, 'separate') };
	} catch (error) {
		return [errorItems(this, error as Error)];
	}
	const { wait, output: outputSettings } = settings;
	// Resume on Notification parks the execution instead of polling: its own operation file.
	if (wait.mode === 'notification') return await resumeOnNotification.execute.call(this, settings);
	const { jobs, invalidItems } = await planJobsFromItems(this);
	const startedAt = now();
	const { started, items: notStarted } = await startJobs(this, jobs);
	const main = [...invalidItems, ...notStarted];

	const reader = readerFor(this, outputSettings, snapshotIdsOf(started));
	const ready: ReadyJob[] = [];
	let polls = 0;
	for (const [index, job] of started.entries()) {
		const unfinished = started.slice(index);
		const items = itemsOf(job.inputs);
		try {
			const result = await waitForSnapshot(this, job.snapshotId, reader, items, wait, startedAt, {
				job,
				unfinished: snapshotIdsOf(unfinished),
			});
			polls += result.polls;
			if (result.kind === 'timedOut') main.push(result.item);
			else ready.push({ job, dataset: result });
		} catch (error) {
			// A cancelling timeout cancelled all unfinished jobs: only those already collected can be fetched later.
			const cancelled = error instanceof JobsCancelledError;
			const failedJobs = cancelled ? unfinished : [job];
			const others = snapshotIdsOf(started.filter((other) => !failedJobs.includes(other)));
			const failedItems = itemsOf(failedJobs.flatMap(({ inputs }) => inputs));
			append(main, errorItems(this, errorAfterTrigger(this, error, others), failedItems));
			if (cancelled) break;
		}
	}

	const collected = snapshotIdsOf(ready.map(({ job }) => job));
	const shaped = await readyJobOutputs(this, ready, outputSettings, main);
	if (collected.length) {
		const inputs = ready.reduce((count, { job }) => count + job.inputs.length, 0);
		const failedNote = shaped.failedCount
			? ` ${shaped.failedCount} of ${plural(inputs, 'input')} failed.`
			: '';
		const emptyNote = shaped.rowCount
			? ''
			: ' The job finished without rows: the collector found nothing, or its delivery settings leave rows out.';
		// "j_1" or "j_1, j_2, j_3 and 7 more".
		const named =
			collected.length > 3
				? `${collected.slice(0, 3).join(', ')} and ${collected.length - 3} more`
				: collected.join(', ');
		this.addExecutionHints({
			message: `Collected ${plural(shaped.rowCount, 'row')} from snapshot ${named} in ${elapsedSeconds(startedAt)} s with ${plural(polls, 'status check')}.${failedNote}${emptyNote}`,
			type: shaped.failedCount || !shaped.rowCount ? 'warning' : 'info',
			location: 'outputPane',
		});
	}
	return shaped.outputs;
}
