import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

/**
 * The Amazon S3 keys for Bright Data's push delivery ("Deliver Rows To" → S3): kept in an
 * n8n credential, encrypted at rest, so it is never saved in a workflow's parameters.
 *
 * No `test` request: only Bright Data connects to the destination, when a job ends, and an n8n
 * credential test cannot ask it to. The node tests this credential instead (`testedBy` in the node's
 * credentials list, as n8n's lint rule credential-test-required allows): an offline check of the
 * fields' format, the same check the node runs before it starts a job. Nothing is sent anywhere.
 */
export class BrightDataScraperStudioS3Api implements ICredentialType {
	name = 'brightDataScraperStudioS3Api';

	displayName = 'Bright Data Scraper Studio: S3 Delivery API';

	documentationUrl = 'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';

	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		deliveryCredentialNotice,
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. AKIAIOSFODNN7EXAMPLE',
			description: 'Of an AWS user or role that may write to the bucket (s3:PutObject, and s3:GetObject so Bright Data can check the upload)',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
	];
}
