import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The operations of the Collection resource, in the order n8n lists them (alphabetical). */
const collectionOperations: INodePropertyOptions[] = [
		{
			name: 'Crawl',
			value: 'crawl',
			description: 'Crawl each input at once (synchronously) and output the scraped rows',
			action: 'Crawl inputs and get rows',
		},
		{
			name: 'Get Dataset',
			value: 'getDataset',
			description: 'Get the scraped rows of a snapshot, or its status while it is still being collected',
			action: 'Get rows of snapshot',
		},
		{
			name: 'Run Real-Time',
			value: 'runRealtime',
			description: 'Scrape each input right away with a real-time collector and output its rows within seconds',
			action: 'Run real-time collection',
		},
		{
			name: 'Trigger',
			value: 'trigger',
			description: 'Start a batch collection with the incoming inputs and output its snapshot ID without waiting',
			action: 'Trigger collection',
		},
		{
			name: 'Trigger and Wait',
			value: 'triggerAndWait',
			description: 'Start a batch collection, wait until its snapshot is ready, and output one item per scraped row',
			action: 'Trigger collection and wait for rows',
		},
	];

const collectionOperation: Omit<INodeProperties, 'displayOptions'> = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'triggerAndWait',
	options: collectionOperations,
};

/** Resources and operations. Saved workflows from before `resource` existed get its default, Collection. */
export const resourceFields: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'collection',
		options: [
			{ name: 'Collection', value: 'collection', description: 'Run a collector and get its rows' },
			{ name: 'Job', value: 'job', description: 'Look at and steer jobs that already run' },
		],
	},
	// Three copies of one parameter so an AI-agent tool can open on Run Real-Time: a default that
	// differs by node type needs its own parameter (n8n's "@tool" display option). Saved workflows
	// omit a value that equals the default, so the tool default changes only from node version 2 on;
	// version 1 tools keep Trigger and Wait. The nodes panel lists the first copy.
	{
		...collectionOperation,
		displayOptions: { show: { resource: ['collection'], '@tool': [false] } },
		default: 'triggerAndWait',
	},
	{
		...collectionOperation,
		displayOptions: { show: { resource: ['collection'], '@tool': [true], '@version': [{ _cnd: { lt: 2 } }] } },
		default: 'triggerAndWait',
	},
	{
		...collectionOperation,
		displayOptions: { show: { resource: ['collection'], '@tool': [true], '@version': [{ _cnd: { gte: 2 } }] } },
		default: 'runRealtime',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		default: 'get',
		options: [
			{ name: 'Cancel', value: 'cancel', description: 'Stop a job that is still running', action: 'Cancel job' },
			{
				name: 'Get',
				value: 'get',
				description: 'Retrieve a job\'s status, number of inputs, rows and failures, and its times',
				action: 'Get job',
			},
			{
				name: 'Get Errors',
				value: 'getErrors',
				description: 'Retrieve the errors Bright Data recorded for a job, one item per error',
				action: 'Get job errors',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Retrieve a list of a collector\'s jobs in a date range',
				action: 'Get many jobs',
			},
			{
				name: 'Rerun',
				value: 'rerun',
				description: 'Run a job again as a new job, with all its inputs or only the failed ones',
				action: 'Rerun job',
			},
		],
	},
];

/**
 * The canvas subtitle: the operation in words, e.g. "Trigger and Wait" or "Get Many Jobs".
 * Built here from the operation names so one list stays the source.
 */
const subtitles: Record<string, string> = {
	...Object.fromEntries(collectionOperations.map(({ name, value }) => [String(value), name])),
	cancel: 'Cancel Job',
	get: 'Get Job',
	getErrors: 'Get Job Errors',
	getMany: 'Get Many Jobs',
	rerun: 'Rerun Job',
};

export const subtitle = `={{ (${JSON.stringify(subtitles)})[$parameter["operation"]] ?? $parameter["operation"] }}`;
