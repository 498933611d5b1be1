import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { resumeOnNotification } from './actions/collection/resumeOnNotification';
import { resources, router } from './actions/router';
import { resourceFields } from './descriptions/resource';
import { searchCollectors } from './methods/listSearch';

/**
 * The node's outputs for its parameters: a second output, "Failed", when failed inputs go
 * there (the default of Trigger and Wait). n8n evaluates this in the editor, so it must be
 * self-contained.
 */
function configuredOutputs(parameters: { resource?: string; operation?: string; options?: { failedRows?: string } }) {
	if ((parameters.resource ?? 'collection') !== 'collection') return [{ type: 'main' }];
	const operation = parameters.operation ?? 'triggerAndWait';
	const fallback = operation === 'triggerAndWait' ? 'separate' : 'main';
	const separate =
		(operation === 'triggerAndWait' || operation === 'getDataset') && (parameters.options?.failedRows ?? fallback) === 'separate';
	return separate
		? [
				{ type: 'main', displayName: 'Rows' },
				{ type: 'main', displayName: 'Failed' },
			]
		: [{ type: 'main' }];
}

// Its only webhook is a restart webhook: n8n serves it for a waiting execution, nothing is registered
// at Bright Data, so the trigger-node lifecycle (checkExists/create/delete) does not apply.
// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete
export class BrightDataScraperStudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bright Data Scraper Studio',
		name: 'brightDataScraperStudio',
		icon: { light: 'file:../../icons/brightdata.svg', dark: 'file:../../icons/brightdata.dark.svg' },
		group: ['transform'],
		// Version 2 times its checks from Bright Data's estimates (see helpers/pollSchedule.ts);
		// workflows saved with version 1 keep its Poll Interval behaviour.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Run Bright Data Scraper Studio collectors and get the scraped rows',
		defaults: { name: 'Bright Data Scraper Studio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		credentials: [{ name: 'brightDataScraperStudioApi', required: true }],
		// Only for Trigger and Wait's "Resume on Notification": Bright Data's call resumes the waiting execution.
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: '={{ $nodeId }}',
				restartWebhook: true,
				isFullPath: true,
			},
		],
		properties: [
			...resourceFields,
			...Object.values(resources).flatMap((operations) => Object.values(operations).flatMap(({ description }) => description)),
		],
	};

	methods = { listSearch: { searchCollectors } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnNotification.call(this);
	}
}
