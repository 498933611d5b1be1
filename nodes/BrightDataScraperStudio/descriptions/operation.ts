import type { INodeProperties } from 'n8n-workflow';

export const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'triggerAndWait',
	options: [
		{
			name: 'Get Dataset',
			value: 'getDataset',
			description: 'Get the rows of a snapshot, or its status while it is still being collected',
			action: 'Get the rows of a snapshot',
		},
		{
			name: 'Trigger',
			value: 'trigger',
			description: 'Start a collection with the incoming inputs and return its snapshot ID without waiting',
			action: 'Trigger a collection',
		},
		{
			name: 'Trigger and Wait',
			value: 'triggerAndWait',
			description: 'Start a collection, wait until its snapshot is ready, and return one item per scraped row',
			action: 'Trigger a collection and wait for its rows',
		},
	],
};
