import type { INodeProperties } from 'n8n-workflow';

/** A text field shown for the given destination or notification types. */
const textField = (
	displayName: string,
	name: string,
	types: string[],
	extra: Partial<INodeProperties> = {},
): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
	displayOptions: { show: { type: types } },
});

const webhookUrlField = (placeholder: string, description: string) =>
	textField('Webhook URL', 'endpoint', ['webhook'], { placeholder, description });
const emailField = textField('Email', 'email', ['email'], { placeholder: 'e.g. name@email.com' });

const destinationFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'webhook',
		description:
			'S3, Google Cloud Storage, Azure and SFTP take their keys from a delivery credential selected at the top of the node; a webhook can send an Authorization header from one',
		options: [
			{ name: 'Amazon S3', value: 's3' },
			{ name: 'Azure Blob Storage', value: 'azure' },
			{ name: 'Email', value: 'email' },
			{ name: 'Google Cloud Storage', value: 'gcs' },
			{ name: 'SFTP', value: 'sftp' },
			{ name: 'Webhook', value: 'webhook' },
		],
	},
	webhookUrlField(
		'e.g. https://n8n.example.com/webhook/bright-data',
		'Bright Data POSTs the rows here, e.g. the URL of a Bright Data Scraper Studio Trigger node',
	),
	emailField,
	textField('Bucket', 'bucket', ['s3', 'gcs']),
	textField('Container', 'container', ['azure']),
	textField('Region', 'region', ['s3'], { placeholder: 'e.g. us-east-1' }),
	textField('Directory', 'directory', ['s3', 'gcs', 'azure', 'sftp'], {
		placeholder: 'e.g. scrapes/daily',
	}),
	// For every destination type, so without displayOptions.
	{
		displayName: 'File Name Template',
		name: 'filename',
		type: 'string',
		default: '',
		placeholder: 'e.g. prices_{[datetime]}',
		description: "Leave empty for Bright Data's default name",
	},
	{
		displayName: 'File Format',
		name: 'extension',
		type: 'options',
		default: 'json',
		options: [
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
			{ name: 'NDJSON', value: 'ndjson' },
		],
	},
];

/** Request-level `notify` and `deliver` (sent as URL-encoded JSON query parameters of the trigger). */
export const deliveryField: INodeProperties = {
	displayName: 'Delivery',
	name: 'delivery',
	type: 'fixedCollection',
	placeholder: 'Add delivery',
	default: {},
	// An agent's tool answers with the rows; a delivery elsewhere is a workflow's job.
	displayOptions: { hide: { '@tool': [true] } },
	description:
		"Override where Bright Data delivers this job's rows, and get a notification when it is done. Not needed to get the rows in this workflow. A destination's credential is picked at the top of this panel, under the API credential.",
	options: [
		{
			displayName: 'Notify When Done',
			name: 'notify',
			values: [
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 'webhook',
					options: [
						{ name: 'Email', value: 'email' },
						{ name: 'Webhook', value: 'webhook' },
					],
				},
				webhookUrlField(
					'e.g. https://n8n.example.com/webhook/job-done',
					'Bright Data calls this URL when the job completes',
				),
				emailField,
			],
		},
		{ displayName: 'Deliver Rows To', name: 'deliver', values: destinationFields },
	],
};
