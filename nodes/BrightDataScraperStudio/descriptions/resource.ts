import type { INodeProperties } from 'n8n-workflow';

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
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['collection'] } },
		default: 'triggerAndWait',
		options: [
			{
				name: 'Crawl',
				value: 'crawl',
				description: 'Run a synchronous crawl for each input and return its rows',
				action: 'Crawl synchronously',
			},
			{
				name: 'Get Dataset',
				value: 'getDataset',
				description: 'Get the rows of a snapshot, or its status while it is still being collected',
				action: 'Get the rows of a snapshot',
			},
			{
				name: 'Run Real-Time',
				value: 'runRealtime',
				description: 'Run a real-time job for each input and return its rows within seconds',
				action: 'Run a real time collection',
			},
			{
				name: 'Trigger',
				value: 'trigger',
				description: 'Start a batch collection with the incoming inputs and return its snapshot ID without waiting',
				action: 'Trigger a collection',
			},
			{
				name: 'Trigger and Wait',
				value: 'triggerAndWait',
				description: 'Start a batch collection, wait until its snapshot is ready, and return one item per scraped row',
				action: 'Trigger a collection and wait for its rows',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		default: 'get',
		options: [
			{ name: 'Cancel', value: 'cancel', description: 'Cancel a job that is still running', action: 'Cancel a job' },
			{
				name: 'Get',
				value: 'get',
				description: 'Get a job\'s status, inputs, rows, failures and times',
				action: 'Get a job',
			},
			{
				name: 'Get Errors',
				value: 'getErrors',
				description: 'Get the errors Bright Data recorded for a job',
				action: 'Get the errors of a job',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List a collector\'s jobs in a date range',
				action: 'Get many jobs',
			},
			{
				name: 'Rerun',
				value: 'rerun',
				description: 'Run a job again, all inputs or failed ones only, as a new job',
				action: 'Rerun a job',
			},
		],
	},
];
