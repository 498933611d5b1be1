import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type IHookFunctions,
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

export class BrightDataScraperStudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bright Data Scraper Studio',
		name: 'brightDataScraperStudio',
		icon: { light: 'file:../../icons/brightdata.svg', dark: 'file:../../icons/brightdata.dark.svg' },
		group: ['transform'],
		version: 1,
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

	/**
	 * The lifecycle n8n's lint rules require of every node that declares a webhook. This node's only
	 * webhook is a restart webhook (Resume on Notification): n8n serves it for a waiting execution, and
	 * the resume URL goes to Bright Data with each job (`notify`), so there is nothing to register,
	 * look up or remove at Bright Data. n8n runs these methods only for the webhooks it registers when
	 * a workflow is published or listens for a test event, and it leaves restart webhooks out of those
	 * (`getWorkflowWebhooks(…, ignoreRestartWebhooks = true)` in n8n 2.8 and 2.41), so they never run;
	 * if they did, "exists" and "done" would be the truthful answers.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnNotification.call(this);
	}
}
