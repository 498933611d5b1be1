import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MAX_BODY_MB, DEFAULT_MAX_ROWS } from './body';

export const properties: INodeProperties[] = [
	{
		displayName:
			"Copy this node's Production URL into a collector's Webhook delivery, or into the notify / deliver webhook of a Trigger operation. Bright Data must be able to reach your n8n (a public WEBHOOK_URL).",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'rowsDelivered',
		options: [
			{
				name: 'Job Finished (Notification)',
				value: 'jobFinished',
				description:
					"Bright Data calls the URL when a job ends (Notify When Done). The node can fetch the job's rows.",
				action: 'On job finished',
			},
			{
				name: 'Rows Delivered',
				value: 'rowsDelivered',
				description:
					'Bright Data sends the scraped rows to the URL (Webhook delivery), compressed or not. One item per row.',
				action: 'On rows delivered',
			},
		],
	},
	{
		displayName: 'Fetch Rows',
		name: 'fetchRows',
		type: 'boolean',
		default: true,
		displayOptions: { show: { event: ['jobFinished'] } },
		description:
			"Whether to download the finished job's rows with the credential and output one item per row, instead of outputting the notification itself",
		hint: 'The node finds the job in the notification (its snapshot ID in the URL or the body). Turn this off to see what Bright Data sends.',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		default: 'none',
		options: [
			{
				name: 'Header Auth',
				value: 'headerAuth',
				description:
					"Requests must carry the credential's secret in its header or as a Bearer token; others get 401 and start nothing",
			},
			{
				name: 'None',
				value: 'none',
				description:
					"Anyone who knows this node's URL can post rows and start the workflow. Only where the sender cannot add a header.",
			},
		],
		description: 'How the node checks that a request comes from your Bright Data account',
	},
	// Keep a collection named "options": for a version-1 webhook node n8n evaluates
	// $parameter["options"]["binaryData"] before calling webhook() (and pre-parses the body unless it is true).
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Add Metadata',
				name: 'addMetadata',
				type: 'boolean',
				default: false,
				description:
					'Whether to add a _brightdata field to every item: the event, the snapshot ID when known, the time received and, after a fetch, the notification',
			},
			{
				displayName: 'Answer Bright Data',
				name: 'respond',
				type: 'options',
				default: 'beforeFetch',
				displayOptions: { show: { '/event': ['jobFinished'], '/fetchRows': [true] } },
				options: [
					{
						name: 'After Fetching the Rows',
						value: 'afterFetch',
						description:
							'200 once the rows are fetched. A failed fetch fails the execution and answers 500, so Bright Data may call again.',
					},
					{
						name: 'Before Fetching the Rows',
						value: 'beforeFetch',
						description:
							'200 at once, so a slow download cannot make Bright Data time out and call again. A failed fetch becomes an item with an error field.',
					},
				],
				description: 'When the node answers the notification',
			},
			{
				displayName: 'Failed Inputs',
				name: 'failedRows',
				type: 'options',
				default: 'main',
				options: [
					{ name: 'Drop Them', value: 'drop', description: 'Leave rows with an error out' },
					{ name: 'Keep Them', value: 'main', description: 'Output them with the other rows' },
				],
				description:
					'What to do with rows for inputs Bright Data could not scrape: rows that carry error or error_code (e.g. dead_page, blocked)',
			},
			{
				displayName: 'If There Are No Rows',
				name: 'onNoRows',
				type: 'options',
				default: 'skip',
				options: [
					{
						name: 'Output One Item',
						value: 'item',
						description: 'One item with count 0 (and the snapshot ID and notification when known)',
					},
					{ name: 'Start No Execution', value: 'skip', description: 'Answer 200 and do nothing' },
				],
				description:
					'What to do when the delivery or the fetched dataset has no rows (after dropping failed inputs)',
			},
			{
				displayName: 'Max Body Size (MB)',
				name: 'maxBodyMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_BODY_MB,
				description:
					"The largest request body the node reads, as received and once decompressed, and the largest dataset Fetch Rows downloads. A larger request is answered with 413 and starts nothing; a larger dataset fails the fetch, with no rows. The default matches n8n's own request limit (N8N_PAYLOAD_SIZE_MAX, 16 MB); raise both together.",
			},
			{
				displayName: 'Max Rows',
				name: 'maxRows',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_ROWS,
				displayOptions: { hide: { '/fetchRows': [false] } },
				description:
					'The most rows one delivery may carry, or one fetched dataset. A delivery with more is answered with 413 and starts nothing; a fetched dataset with more fails the fetch, with no rows. Deliver in smaller batches, or raise this if your n8n has the memory.',
			},
		],
	},
];
