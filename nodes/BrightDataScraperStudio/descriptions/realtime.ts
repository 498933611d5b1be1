import type { INodeProperties } from 'n8n-workflow';

import {
	CRAWL_TIMEOUT_SECONDS,
	DEFAULT_CRAWL_TIMEOUT_SECONDS,
	DEFAULT_REALTIME_CONCURRENCY,
	DEFAULT_REALTIME_TIMEOUT_SECONDS,
	REALTIME_CONCURRENCY,
	REALTIME_TIMEOUT_SECONDS,
} from '../parameters/defaults';
import { useDevVersion } from './options';

const concurrency: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: DEFAULT_REALTIME_CONCURRENCY,
	typeOptions: { minValue: REALTIME_CONCURRENCY.min, maxValue: REALTIME_CONCURRENCY.max },
	description: `How many inputs run at the same time. Each input is its own real-time collection. Default ${REALTIME_CONCURRENCY.default}.`,
};

const timeout: INodeProperties = {
	displayName: 'Timeout per Input (Seconds)',
	name: 'timeout',
	type: 'number',
	default: DEFAULT_REALTIME_TIMEOUT_SECONDS,
	typeOptions: { minValue: REALTIME_TIMEOUT_SECONDS.min, maxValue: REALTIME_TIMEOUT_SECONDS.max },
	description: `The longest the node waits for each input's result. Default ${REALTIME_TIMEOUT_SECONDS.default}.`,
};

export const realtimeOptions: INodeProperties[] = [
	concurrency,
	{
		displayName: 'On Page Limit',
		name: 'onPageLimit',
		type: 'options',
		default: 'output',
		options: [
			{
				name: 'Output the Error Row',
				value: 'output',
				description: 'Output the row that says the limit was exceeded',
			},
			{
				name: 'Run the Input as a Batch Job',
				value: 'batch',
				description: 'Trigger a batch job for that input and wait for its rows (slower, no page limit)',
			},
		],
		description: 'A real-time collection loads at most 51 pages per input. What to do when an input needs more.',
	},
	timeout,
	useDevVersion,
];

export const crawlOptions: INodeProperties[] = [
	concurrency,
	{
		displayName: 'Bright Data Hold Time (Seconds)',
		name: 'crawlTimeout',
		type: 'number',
		default: DEFAULT_CRAWL_TIMEOUT_SECONDS,
		typeOptions: { minValue: CRAWL_TIMEOUT_SECONDS.min, maxValue: CRAWL_TIMEOUT_SECONDS.max },
		description:
			'How long Bright Data keeps the crawl request open before it answers "still running", from 25 to 50 seconds. The crawl goes on in the background and the node fetches its result, up to Timeout per Input.',
	},
	timeout,
	useDevVersion,
];
