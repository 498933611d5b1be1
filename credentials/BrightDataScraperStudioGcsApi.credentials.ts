import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

export class BrightDataScraperStudioGcsApi implements ICredentialType {
	name = 'brightDataScraperStudioGcsApi';
	displayName = 'Bright Data Scraper Studio: GCS Delivery API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		deliveryCredentialNotice,
		{
			displayName: 'Client Email',
			name: 'clientEmail',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. scraper@my-project.iam.gserviceaccount.com',
			description: 'The client_email of the service account key file',
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The private_key of the service account key file, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----. Pasted with literal \\n sequences, as it appears in the JSON file, works too.',
		},
	];
}
