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

import * as resumeOnNotification from './actions/collection/resumeOnNotification.operation';
import { webhook as resumeOnNotificationWebhook } from './actions/collection/resumeOnNotification.webhook';
import { resources } from './actions';
import { router } from './actions/router';
import { nodeProperties, subtitleOf } from './descriptions/resource';
import { searchCollectors } from './methods/listSearch';
import { deliveryCredentialTests, DESTINATION_CREDENTIALS } from './parameters/deliveryCredentials';

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

/** Shows a credential while Delivery → Deliver Rows To has this destination (a path into the fixedCollection). */
const deliveringTo = (type: string) => ({
	show: { resource: ['collection'], operation: ['trigger', 'triggerAndWait'], 'delivery.deliver.type': [type] },
});

export class BrightDataScraperStudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bright Data Scraper Studio',
		name: 'brightDataScraperStudio',
		icon: { light: 'file:../../icons/brightdata.svg', dark: 'file:../../icons/brightdata.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: subtitleOf(resources),
		description: 'Run Bright Data Scraper Studio collectors and get the scraped rows',
		defaults: { name: 'Bright Data Scraper Studio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		// The delivery credentials show only for the destination chosen under Delivery → Deliver Rows To.
		// Not required: a webhook needs none, and workflows saved before them keep their keys in the
		// node's parameters (the node asks for a credential itself when neither is there). Their Test
		// is an offline format check (see helpers/deliveryCredentials.ts).
		credentials: [
			{ name: 'brightDataScraperStudioApi', required: true },
			{ name: 'brightDataScraperStudioS3Api', displayName: DESTINATION_CREDENTIALS.s3.field, required: false, testedBy: 'brightDataScraperStudioS3Test', displayOptions: deliveringTo('s3') },
			{ name: 'brightDataScraperStudioGcsApi', displayName: DESTINATION_CREDENTIALS.gcs.field, required: false, testedBy: 'brightDataScraperStudioGcsTest', displayOptions: deliveringTo('gcs') },
			{ name: 'brightDataScraperStudioAzureApi', displayName: DESTINATION_CREDENTIALS.azure.field, required: false, testedBy: 'brightDataScraperStudioAzureTest', displayOptions: deliveringTo('azure') },
			{ name: 'brightDataScraperStudioSftpApi', displayName: DESTINATION_CREDENTIALS.sftp.field, required: false, testedBy: 'brightDataScraperStudioSftpTest', displayOptions: deliveringTo('sftp') },
			{
				name: 'brightDataScraperStudioWebhookApi',
				displayName: DESTINATION_CREDENTIALS.webhook.field,
				required: false,
				testedBy: 'brightDataScraperStudioWebhookTest',
				displayOptions: deliveringTo('webhook'),
			},
		],
		// Only for Trigger and Wait's "Resume on Notification": Bright Data's call resumes the waiting
		// execution, and the editor says under the waiting node what it waits for.
		waitingNodeTooltip: resumeOnNotification.waitingNodeTooltip,
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
		properties: nodeProperties(resources),
	};

	methods = { listSearch: { searchCollectors }, credentialTest: deliveryCredentialTests };

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
		return await resumeOnNotificationWebhook.call(this);
	}
}
