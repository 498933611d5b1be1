import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

export class BrightDataScraperStudioWebhookApi implements ICredentialType {
	name = 'brightDataScraperStudioWebhookApi';
	displayName = 'Bright Data Scraper Studio: Webhook Delivery API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		deliveryCredentialNotice,
		{
			displayName: 'Authorization Header',
			name: 'authorizationToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. Bearer 7f3a…',
			description:
				'The whole value of the Authorization header Bright Data sends with the rows. For a Bright Data Scraper Studio Trigger node with Header Auth, enter Bearer followed by a space and the secret of its Trigger Secret credential.',
		},
	];
}
