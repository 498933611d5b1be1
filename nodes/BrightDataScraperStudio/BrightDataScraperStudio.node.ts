import {
	NodeConnectionTypes,
	type IExecuteFunctions,
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

/** A second output, "Failed", when failed inputs go there; n8n evaluates this in the editor, so it is self-contained. */
function configuredOutputs(p: {
	resource?: string;
	operation?: string;
	options?: { failedRows?: string };
}) {
	const operation =
		(p.resource ?? 'collection') === 'collection' ? (p.operation ?? 'triggerAndWait') : '';
	const failedRows =
		p.options?.failedRows ?? (operation === 'triggerAndWait' ? 'separate' : 'main');
	return ['triggerAndWait', 'getDataset'].includes(operation) && failedRows === 'separate'
		? [
				{ type: 'main', displayName: 'Rows' },
				{ type: 'main', displayName: 'Failed' },
			]
		: [{ type: 'main' }];
}

/** Shows a credential while Delivery → Deliver Rows To has this destination (a path into the fixedCollection). */
const deliveringTo = (type: string) => ({
	show: {
		resource: ['collection'],
		operation: ['trigger', 'triggerAndWait'],
		'delivery.deliver.type': [type],
	},
});

export class BrightDataScraperStudio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bright Data Scraper Studio',
		name: 'brightDataScraperStudio',
		icon: {
			light: 'file:../../icons/brightdata.svg',
			dark: 'file:../../icons/brightdata.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: subtitleOf(resources),
		description: 'Run Bright Data Scraper Studio collectors and get the scraped rows',
		defaults: { name: 'Bright Data Scraper Studio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		// A destination's credential shows only while Deliver Rows To has that type; the node asks for it at run
		// time (a webhook needs none). Their Test is offline (parameters/deliveryCredentials.ts).
		credentials: [
			{ name: 'brightDataScraperStudioApi', required: true },
			{
				name: 'brightDataScraperStudioS3Api',
				displayName: DESTINATION_CREDENTIALS.s3.field,
				required: false,
				testedBy: 'brightDataScraperStudioS3Test',
				displayOptions: deliveringTo('s3'),
			},
			{
				name: 'brightDataScraperStudioGcsApi',
				displayName: DESTINATION_CREDENTIALS.gcs.field,
				required: false,
				testedBy: 'brightDataScraperStudioGcsTest',
				displayOptions: deliveringTo('gcs'),
			},
			{
				name: 'brightDataScraperStudioAzureApi',
				displayName: DESTINATION_CREDENTIALS.azure.field,
				required: false,
				testedBy: 'brightDataScraperStudioAzureTest',
				displayOptions: deliveringTo('azure'),
			},
			{
				name: 'brightDataScraperStudioSftpApi',
				displayName: DESTINATION_CREDENTIALS.sftp.field,
				required: false,
				testedBy: 'brightDataScraperStudioSftpTest',
				displayOptions: deliveringTo('sftp'),
			},
			{
				name: 'brightDataScraperStudioWebhookApi',
				displayName: DESTINATION_CREDENTIALS.webhook.field,
				required: false,
				testedBy: 'brightDataScraperStudioWebhookTest',
				displayOptions: deliveringTo('webhook'),
			},
		],
		// Only for Trigger and Wait's "Resume on Notification", whose webhook Bright Data's call resumes.
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

	// Required by n8n's lint for a node with a webhook; n8n never runs them for a restart webhook
	// (getWorkflowWebhooks(…, ignoreRestartWebhooks = true)), and there is nothing to register at Bright Data.
	webhookMethods = {
		default: {
			checkExists: async () => true,
			create: async () => true,
			delete: async () => true,
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await resumeOnNotificationWebhook.call(this);
	}
}
