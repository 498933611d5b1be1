import type { INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_INPUTS_PER_JOB,
	DEFAULT_TIMEOUT_SECONDS,
	DEFAULT_TOOL_TIMEOUT_SECONDS,
} from '../parameters/defaults';
import { DEFAULT_POLL_INTERVAL_SECONDS } from '../../shared/snapshot/pollSchedule';

/** The Timeout option of the AI Flow operations; `takes` says how long Bright Data takes, for the person choosing it. */
export const aiTimeoutOption = (defaultSeconds: number, what: string, takes: string): INodeProperties => ({
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: defaultSeconds,
	typeOptions: { minValue: 1, maxValue: 86400 },
	description: `The longest the node waits for ${what}, start included. ${takes} Default ${defaultSeconds}.`,
});

/** Batch, real-time and crawl runs alike. */
export const useDevVersion: INodeProperties = {
	displayName: 'Use Development Version',
	name: 'useDevVersion',
	type: 'boolean',
	default: false,
	description:
		'Whether to run the development version of the collector instead of the published one. Its rows may lack fields until the collector is saved to production.',
};

/** Options of the trigger request itself (query parameters of POST /dca/trigger). */
export const triggerOptions: INodeProperties[] = [
	{
		displayName: 'Replace a Running Job of This Collector',
		name: 'confirmCancel',
		type: 'boolean',
		default: false,
		description:
			'Whether to cancel a collection of this collector that is still running and run this one instead. Off: this job waits or runs alongside it, as Bright Data decides.',
	},
	{
		displayName: 'Deadline',
		name: 'deadline',
		type: 'string',
		default: '',
		placeholder: 'e.g. 30m',
		description:
			'The longest the job may run at Bright Data, as a number and a unit (s, m, h or d), e.g. 45s, 30m or 1h. Bright Data then ends the job; inputs it did not finish come back as failed rows (error_code deadline_timeout).',
	},
	{
		displayName: 'Download Media Files',
		name: 'downloadMedia',
		type: 'boolean',
		default: false,
		description:
			'Whether Bright Data downloads the media files (images, screenshots) the collector finds. Bright Data bills downloads per GB. Without this option the collector\'s own setting applies.',
	},
	{
		displayName: 'Inputs per Job',
		name: 'inputsPerJob',
		type: 'number',
		default: DEFAULT_INPUTS_PER_JOB,
		typeOptions: { minValue: 1, maxValue: 100000 },
		description: `The most inputs sent in one job. All incoming items go into one job unless there are more inputs than this; then several jobs are started. Default ${DEFAULT_INPUTS_PER_JOB}.`,
	},
	{
		displayName: 'Job Name',
		name: 'jobName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Daily prices {{ $now.toISODate() }}',
		description: 'A name for the job, shown in the Bright Data control panel',
	},
	{
		displayName: 'Queue Name',
		name: 'queue',
		type: 'string',
		default: '',
		placeholder: 'e.g. nightly',
		description: 'Jobs with the same queue name run one after another instead of at the same time',
	},
	{
		displayName: 'Queue Next',
		name: 'queueNext',
		type: 'boolean',
		default: true,
		description:
			'Whether Bright Data puts this job next in line, ahead of the collector\'s other waiting jobs. On by default, as in Bright Data\'s own examples; leave it on unless Bright Data support advises otherwise.',
	},
	useDevVersion,
];

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
				description: 'Stop with a message that names the snapshot ID; the job goes on at Bright Data',
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
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: DEFAULT_POLL_INTERVAL_SECONDS,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: `How often the node checks whether the rows are ready, e.g. 30 for jobs that take hours. Default ${DEFAULT_POLL_INTERVAL_SECONDS}, like Bright Data's quickstart. When Bright Data says when the rows will be ready ("try again in N s"), the node checks then instead.`,
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		default: DEFAULT_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1, maxValue: 86400 },
		description: `The longest the node waits for the snapshot, e.g. 900 for 15 minutes. Default ${DEFAULT_TIMEOUT_SECONDS} (${DEFAULT_TOOL_TIMEOUT_SECONDS} for an AI-agent tool). What happens then is set by On Timeout.`,
	},
];

/** The "Options" collection of an operation. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});
