import {
	NodeConnectionTypes,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { properties } from './description';
import { testSecretCredential } from './secret';
import { handleWebhook } from './webhook';

export class BrightDataScraperStudioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bright Data Scraper Studio Trigger',
		name: 'brightDataScraperStudioTrigger',
		icon: {
			light: 'file:../../icons/brightdata.svg',
			dark: 'file:../../icons/brightdata.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] === "jobFinished" ? "Job finished" : "Rows delivered" }}',
		// n8n's nodes panel shows this for the one entry it makes of both nodes, so it names both uses.
		description:
			'Run Scraper Studio collectors and get their rows, or start a workflow when Bright Data delivers rows',
		defaults: { name: 'Bright Data Scraper Studio Trigger' },
		eventTriggerDescription: 'Waiting for Bright Data to call the Test URL',
		activationMessage: 'Bright Data can now call the Production URL.',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			// Only fetching a finished job's rows calls the API.
			{
				name: 'brightDataScraperStudioApi',
				required: true,
				displayOptions: { show: { event: ['jobFinished'], fetchRows: [true] } },
			},
			{
				name: 'brightDataScraperStudioTriggerSecretApi',
				required: true,
				testedBy: 'brightDataScraperStudioTriggerSecretTest',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
		],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties,
	};

	// The name matches `testedBy` above (n8n's lint reads it there as a literal).
	methods = { credentialTest: { brightDataScraperStudioTriggerSecretTest: testSecretCredential } };

	// Bright Data has no API to register a webhook (the user pastes the URL), so there is nothing to do remotely.
	webhookMethods = {
		default: { checkExists: async () => true, create: async () => true, delete: async () => true },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook(this);
	}
}
