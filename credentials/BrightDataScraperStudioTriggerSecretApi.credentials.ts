import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SECRET_HEADER } from '../nodes/BrightDataScraperStudioTrigger/secret';

// The Trigger node's shared secret, encrypted at rest, never in the workflow's parameters or exports.
// No `test` request: the node only receives it, so `testedBy` runs an offline check of the fields.
export class BrightDataScraperStudioTriggerSecretApi implements ICredentialType {
	name = 'brightDataScraperStudioTriggerSecretApi';
	displayName = 'Bright Data Scraper Studio: Trigger Secret API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName:
				'For the Bright Data Scraper Studio Trigger node: requests must carry this secret in the header below or as a Bearer token in the Authorization header; others get 401 and start nothing.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: DEFAULT_SECRET_HEADER,
			description:
				'The request header that carries the secret (any letter case). A Bearer token in the Authorization header is always accepted too.',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The value Bright Data must send. In a Webhook delivery credential (Deliver Rows To → Webhook) enter Bearer, a space and this secret as the Authorization Header.',
		},
	];
}
