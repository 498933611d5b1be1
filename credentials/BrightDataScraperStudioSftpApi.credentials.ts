import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

/**
 * The SFTP login for Bright Data's push delivery ("Deliver Rows To" → SFTP): kept in an
 * n8n credential, encrypted at rest, so it is never saved in a workflow's parameters.
 *
 * No `test` request: only Bright Data connects to the destination, when a job ends, and an n8n
 * credential test cannot ask it to. The node tests this credential instead (`testedBy` in the node's
 * credentials list, as n8n's lint rule credential-test-required allows): an offline check of the
 * fields' format, the same check the node runs before it starts a job. Nothing is sent anywhere.
 */
export class BrightDataScraperStudioSftpApi implements ICredentialType {
	name = 'brightDataScraperStudioSftpApi';

	displayName = 'Bright Data Scraper Studio: SFTP Delivery API';

	documentationUrl = 'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';

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
			description: 'The server\'s name or IP address, without sftp://',
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
