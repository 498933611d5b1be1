import type { INodeProperties } from 'n8n-workflow';

const concurrency: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 1, maxValue: 50 },
	description: 'How many inputs run at the same time. Each input is its own real-time collection. Default 5.',
};

const timeout: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 180,
	typeOptions: { minValue: 1, maxValue: 3600 },
	description: 'The longest the node waits for each input\'s result. Default 180.',
};

const useDevVersion: INodeProperties = {
	displayName: 'Use Development Version',
	name: 'useDevVersion',
	type: 'boolean',
	default: false,
	description: 'Whether to run the development version of the collector instead of the published one',
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
		displayName: 'Crawl Timeout (Seconds)',
		name: 'crawlTimeout',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 25, maxValue: 50 },
		description:
			'How long Bright Data holds the crawl request, from 25 to 50 seconds. A longer crawl goes on in the background and the node fetches its result.',
	},
	timeout,
	useDevVersion,
];
