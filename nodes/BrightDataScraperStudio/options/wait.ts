import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_SECONDS } from '../../shared/snapshot/pollSchedule';
import { nodeParameter } from '../parameters/constant';
import { isTool, numberOption, readOptions, type ParameterContext } from './option';

const pollInterval = numberOption({
	displayName: 'Poll Interval (Seconds)',
	name: 'pollInterval',
	type: 'number',
	default: DEFAULT_POLL_INTERVAL_SECONDS,
	min: 1,
	max: 3600,
	description: `How often the node checks whether the rows are ready, e.g. 30 for jobs that take hours. Default ${DEFAULT_POLL_INTERVAL_SECONDS}, like Bright Data's quickstart. When Bright Data says when the rows will be ready ("try again in N s"), the node checks then instead.`,
});

export const waitTimeout = numberOption({
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 900,
	// An AI agent waits for its tool before it answers, so as a tool Trigger and Wait gives up sooner.
	toolDefault: 300,
	min: 1,
	max: 86400,
	description:
		'The longest the node waits for the snapshot, e.g. 900 for 15 minutes. Default 900 (300 for an AI-agent tool). What happens then is set by On Timeout.',
});

/** Options of the wait in Trigger and Wait. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Cancel the Job If the Execution Is Stopped',
		name: 'cancelOnStop',
		type: 'boolean',
		default: false,
		description:
			'Whether stopping the execution also cancels the job at Bright Data. Off: the job goes on and its rows can be collected later with Get Dataset.',
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		default: 'error',
		options: [
			{
				name: 'Cancel the Job and Fail',
				value: 'cancel',
				description: 'Cancel the job at Bright Data, so it bills no more pages, then fail',
			},
			{
				name: 'Fail',
				value: 'error',
				description:
					'Stop with a message that names the snapshot ID; the job goes on at Bright Data',
			},
			{
				name: 'Output the Snapshot ID',
				value: 'output',
				description:
					'Output one item with snapshot_id and status (timed_out: true), so a later Get Dataset can collect the rows',
			},
		],
		description: 'What to do when the snapshot is not ready within the timeout',
	},
	pollInterval.property,
	waitTimeout.property,
];

export type WaitOptions = ReturnType<typeof readWaitOptions>;

export function readWaitOptions(ctx: ParameterContext, itemIndex: number) {
	const read = nodeParameter(ctx);
	const options = readOptions(ctx, itemIndex, read);
	return {
		intervalSeconds: pollInterval.read(ctx, itemIndex, options),
		timeoutSeconds: waitTimeout.read(ctx, itemIndex, options),
		onTimeout: (options.onTimeout as 'error' | 'output' | 'cancel' | undefined) ?? 'error',
		cancelOnStop: options.cancelOnStop === true,
		// Poll inside the execution, or park it until Bright Data's notification; a tool's call cannot be parked.
		mode:
			!isTool(ctx) && read('waitMode', itemIndex, 'poll') === 'notification'
				? 'notification'
				: 'poll',
	};
}
