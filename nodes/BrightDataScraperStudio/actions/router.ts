import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { resources } from './index';

/** Runs the chosen operation; each operation handles all incoming items at once. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0, 'collection') as string;
	// n8n adds a "Custom API Call" resource to nodes whose credential can sign any request.
	if (resource === '__CUSTOM_API_CALL__') {
		throw new NodeOperationError(
			this.getNode(),
			'Custom API calls run in the HTTP Request node, not in this node',
			{
				description:
					'Add an HTTP Request node, set Authentication to "Predefined Credential Type" and Credential Type to "Bright Data Scraper Studio API", then pick this credential: n8n adds the API token for you. Or set Resource to Collection or Job here.',
			},
		);
	}
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources
		.find(({ option }) => option.value === resource)
		?.operations.find(({ option }) => option.value === operation);
	if (!handler)
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not known`,
		);
	return await handler.execute.call(this);
}
