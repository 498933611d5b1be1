import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { deliveryCredentialNotice } from './deliveryCredentialNotice';

export class BrightDataScraperStudioS3Api implements ICredentialType {
	name = 'brightDataScraperStudioS3Api';
	displayName = 'Bright Data Scraper Studio: S3 Delivery API';
	documentationUrl =
		'https://docs.brightdata.com/datasets/scraper-studio/initiate-collection-and-delivery-options';
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
			description:
				'Of an AWS user or role that may write to the bucket (s3:PutObject, and s3:GetObject so Bright Data can check the upload)',
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
