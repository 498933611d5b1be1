import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

/**
 * The Google Cloud Storage service account for Bright Data's push delivery ("Deliver Rows To" → GCS): kept in an
 * n8n credential, encrypted at rest, so it is never saved in a workflow's parameters.
 *
 * No `test` request: only Bright Data connects to the destination, when a job ends, and an n8n
 * credential test cannot ask it to. The node tests this credential instead (`testedBy` in the node's
 * credentials list, as n8n's lint rule credential-test-required allows): an offline check of the
 * fields' format, the same check the node runs before it starts a job. Nothing is sent anywhere.
 */
export class BrightDataScraperStudioGcsApi implements ICredentialType {
	name = 'brightDataScraperStudioGcsApi';

	displayName = 'Bright Data Scraper Studio: GCS Delivery API';

	documentationUrl = 'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';

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
