import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

export class BrightDataScraperStudioSftpApi implements ICredentialType {
	name = 'brightDataScraperStudioSftpApi';
	displayName = 'Bright Data Scraper Studio: SFTP Delivery API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		deliveryCredentialNotice,
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. sftp.example.com',
			description: "The server's name or IP address, without sftp://",
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 22,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			required: true,
			default: '',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
	];
}
