import type { INodeProperties } from 'n8n-workflow';

const forTypes = (...type: string[]) => ({ show: { type } });

/** The webhook and email fields that both "Notify When Done" and "Deliver Rows To" have. */
const webhookUrlField = (placeholder: string, description: string): INodeProperties => ({
	displayName: 'Webhook URL',
	name: 'endpoint',
	type: 'string',
	default: '',
	placeholder,
	description,
	displayOptions: forTypes('webhook'),
});

const emailField: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'e.g. name@email.com',
	default: '',
	displayOptions: forTypes('email'),
};

const destinationFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		default: 'webhook',
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
	{
		displayName: 'Bucket',
		name: 'bucket',
		type: 'string',
		default: '',
		displayOptions: forTypes('s3', 'gcs'),
	},
	{
		displayName: 'Container',
		name: 'container',
		type: 'string',
		default: '',
		displayOptions: forTypes('azure'),
	},
	{
		displayName: 'Region',
		name: 'region',
		type: 'string',
		default: '',
		placeholder: 'e.g. us-east-1',
		displayOptions: forTypes('s3'),
	},
	{
		displayName: 'Host',
		name: 'host',
		type: 'string',
		default: '',
		placeholder: 'e.g. sftp.example.com',
		displayOptions: forTypes('sftp'),
	},
	{
		displayName: 'Port',
		name: 'port',
		type: 'number',
		default: 22,
		displayOptions: forTypes('sftp'),
	},
	{
		displayName: 'Access Key ID',
		name: 'accessKey',
		type: 'string',
		default: '',
		displayOptions: forTypes('s3'),
	},
	{
		displayName: 'Secret Access Key',
		name: 'secretKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: forTypes('s3'),
	},
	{
		displayName: 'Client Email',
		name: 'clientEmail',
		type: 'string',
		default: '',
		description: 'The service account\'s client_email',
		displayOptions: forTypes('gcs'),
	},
	{
		displayName: 'Private Key',
		name: 'privateKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'The service account\'s private_key',
		displayOptions: forTypes('gcs'),
	},
	{
		displayName: 'Account',
		name: 'account',
		type: 'string',
		default: '',
		displayOptions: forTypes('azure'),
	},
	{
		displayName: 'Account Key',
		name: 'key',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: forTypes('azure'),
	},
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '',
		displayOptions: forTypes('sftp'),
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: forTypes('sftp'),
	},
	{
		displayName: 'Directory',
		name: 'directory',
		type: 'string',
		default: '',
		placeholder: 'e.g. scrapes/daily',
		displayOptions: forTypes('s3', 'gcs', 'azure', 'sftp'),
	},
	{
		displayName: 'File Name Template',
		name: 'filename',
		type: 'string',
		default: '',
		placeholder: 'e.g. prices_{[datetime]}',
		description: 'Leave empty for Bright Data\'s default name',
		displayOptions: forTypes('s3', 'gcs', 'azure', 'sftp', 'webhook', 'email'),
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
		displayOptions: forTypes('s3', 'gcs', 'azure', 'sftp', 'webhook', 'email'),
	},
];

/** Request-level `notify` and `deliver` (sent as URL-encoded JSON query parameters of the trigger). */
export const deliveryField: INodeProperties = {
	displayName: 'Delivery',
	name: 'delivery',
	type: 'fixedCollection',
	placeholder: 'Add delivery',
	default: {},
	description:
		'Override where Bright Data delivers this job\'s rows, and get a notification when it is done. Not needed to get the rows in this workflow.',
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
				webhookUrlField('e.g. https://n8n.example.com/webhook/job-done', 'Bright Data calls this URL when the job completes'),
				emailField,
			],
		},
		{
			displayName: 'Deliver Rows To',
			name: 'deliver',
			values: destinationFields,
		},
	],
};
