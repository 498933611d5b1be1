import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

export class BrightDataScraperStudioAzureApi implements ICredentialType {
	name = 'brightDataScraperStudioAzureApi';
	displayName = 'Bright Data Scraper Studio: Azure Delivery API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		deliveryCredentialNotice,
		{
			displayName: 'Storage Account Name',
			name: 'account',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. mystorageaccount',
		},
		{
			displayName: 'Account Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"One of the storage account's access keys (Azure portal → Storage account → Access keys)",
		},
	];
}
