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

/**
 * The access fields of S3, GCS, Azure and SFTP as workflows saved before the delivery credentials
 * have them: keys and passwords in the node's parameters, so in the workflow JSON, its exports and
 * its version history. New workflows cannot fill them (the node reads the keys from a credential).
 *
 * Each field shows only while it holds a value: its displayOptions test the field itself. An
 * empty field (every new node) is hidden, so nobody types a key there again; a saved workflow's
 * value still shows, where the user can see it and clear it after moving it into a credential.
 * The display test matters beyond the editor: n8n drops the values of hidden parameters when it
 * loads a workflow, and here a saved value is what keeps the field shown, so old workflows still
 * run (with a hint). Chosen over a node version bump, which would keep showing the empty secret
 * fields on every node of version 1 and change the version of every node that has no delivery.
 */
const legacyHint =
	'Saved in the workflow in plain text. Put it into a delivery credential (at the top of the node), then clear this field.';
const whileFilled = (type: string, field: string): INodeProperties['displayOptions'] => ({
	show: { type: [type], [field]: [{ _cnd: { exists: true } }] },
});
const legacyField = (
	type: string,
	name: string,
	displayName: string,
	secret = false,
): INodeProperties => ({
	displayName: `${displayName} (Old)`,
	name,
	type: 'string',
	...(secret ? { typeOptions: { password: true } } : {}),
	default: '',
	description: legacyHint,
	displayOptions: whileFilled(type, name),
});
const legacyAccessFields: INodeProperties[] = [
	legacyField('s3', 'accessKey', 'Access Key ID'),
	legacyField('s3', 'secretKey', 'Secret Access Key', true),
	legacyField('gcs', 'clientEmail', 'Client Email'),
	legacyField('gcs', 'privateKey', 'Private Key', true),
	legacyField('azure', 'account', 'Account'),
	legacyField('azure', 'key', 'Account Key', true),
	legacyField('sftp', 'host', 'Host'),
	// The port has a default, so it shows while the old host does.
	{
		displayName: 'Port (Old)',
		name: 'port',
		type: 'number',
		default: 22,
		description: legacyHint,
		displayOptions: whileFilled('sftp', 'host'),
	},
	legacyField('sftp', 'username', 'Username'),
	legacyField('sftp', 'password', 'Password', true),
];

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
	...legacyAccessFields,
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
		description: "Leave empty for Bright Data's default name",
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
		{
			displayName: 'Deliver Rows To',
			name: 'deliver',
			values: destinationFields,
		},
	],
};
