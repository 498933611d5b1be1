import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { nodeParameter, type ReadParameter } from '../parameters/constant';
import { numberOption, readOptions } from './option';
import { useDevVersion } from './trigger';

const concurrency = numberOption({
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	min: 1,
	max: 50,
	integer: true,
	description:
		'How many inputs run at the same time. Each input is its own real-time collection. Default 5.',
});

const timeout = numberOption({
	displayName: 'Timeout per Input (Seconds)',
	name: 'timeout',
	type: 'number',
	default: 180,
	min: 1,
	max: 3600,
	description: "The longest the node waits for each input's result. Default 180.",
});

// Bright Data documents that it holds a crawl request 25 to 50 s.
const crawlTimeout = numberOption({
	displayName: 'Bright Data Hold Time (Seconds)',
	name: 'crawlTimeout',
	type: 'number',
	default: 50,
	min: 25,
	max: 50,
	integer: true,
	description:
		'How long Bright Data keeps the crawl request open before it answers "still running", from 25 to 50 seconds. The crawl goes on in the background and the node fetches its result, up to Timeout per Input.',
});

export const realtimeOptions: INodeProperties[] = [
	concurrency.property,
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
				description:
					'Trigger a batch job for that input and wait for its rows (slower, no page limit)',
			},
		],
		description:
			'A real-time collection loads at most 51 pages per input. What to do when an input needs more.',
	},
	timeout.property,
	useDevVersion,
];

export const crawlOptions: INodeProperties[] = [
	concurrency.property,
	crawlTimeout.property,
	timeout.property,
	useDevVersion,
];

export type RealtimeOptions = ReturnType<typeof readRealtimeOptions>;

/** Options of Run Real-Time and Crawl for item `itemIndex` (Concurrency: the first item's holds for the run). */
export function readRealtimeOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
) {
	const options = readOptions(ctx, itemIndex, read);
	return {
		concurrency: concurrency.read(ctx, itemIndex, options),
		timeoutSeconds: timeout.read(ctx, itemIndex, options),
		crawlTimeoutSeconds: crawlTimeout.read(ctx, itemIndex, options),
		query: (options.useDevVersion === true ? { version: 'dev' } : {}) as IDataObject,
		onPageLimit: options.onPageLimit === 'batch' ? ('batch' as const) : ('output' as const),
	};
}
