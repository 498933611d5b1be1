import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_INPUTS_PER_JOB } from '../helpers/jobs';

export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
export const DEFAULT_TIMEOUT_SECONDS = 900;

/** Options of the trigger request itself. */
export const triggerOptions: INodeProperties[] = [
	{
		displayName: 'Inputs per Job',
		name: 'inputsPerJob',
		type: 'number',
		default: DEFAULT_INPUTS_PER_JOB,
		typeOptions: { minValue: 1, maxValue: 100000 },
		description: `The most inputs sent in one job. All incoming items go into one job unless there are more inputs than this; then several jobs are started. Default ${DEFAULT_INPUTS_PER_JOB}.`,
	},
	{
		displayName: 'Queue Next',
		name: 'queueNext',
		type: 'boolean',
		default: true,
		description:
			'Whether to send queue_next=1, as Bright Data\'s quickstart and starters do. Bright Data\'s documents disagree on its meaning: the quickstart says it starts the job right away instead of queuing it behind jobs already running; the API reference says it queues the job after a running one.',
	},
];

/** Options of the wait in Trigger and Wait. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: DEFAULT_POLL_INTERVAL_SECONDS,
		typeOptions: { minValue: 1, maxValue: 3600 },
		description: `The longest gap between two status checks. When Bright Data says "try again in N s", the node checks sooner, but never more than once a second. Default ${DEFAULT_POLL_INTERVAL_SECONDS}.`,
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		default: DEFAULT_TIMEOUT_SECONDS,
		typeOptions: { minValue: 1, maxValue: 86400 },
		description: `The longest the node waits for the snapshot, e.g. 900 for 15 minutes. On timeout the error names the snapshot ID, so the rows can still be collected later with Get Dataset. Default ${DEFAULT_TIMEOUT_SECONDS}.`,
	},
];
