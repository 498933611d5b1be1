import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

/** Fields of the Delivery parameter that hold secrets: kept out of every error message. */
const SECRET_FIELDS = ['secretKey', 'privateKey', 'key', 'password'] as const;

interface DeliveryParameter {
	notify?: IDataObject;
	deliver?: IDataObject;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function requireUrl(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): string {
	const url = text(value);
	if (!/^https?:\/\/[^\s]+$/i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be an http(s) URL (got "${url}")`, { itemIndex });
	}
	return url;
}

function requireText(ctx: IExecuteFunctions, itemIndex: number, label: string, value: unknown): string {
	const result = text(value);
	if (!result) throw new NodeOperationError(ctx.getNode(), `${label} is required for this delivery`, { itemIndex });
	return result;
}

function notifyObject(ctx: IExecuteFunctions, itemIndex: number, notify: IDataObject): IDataObject {
	return notify.type === 'email'
		? { type: 'email', email: requireText(ctx, itemIndex, 'Notify email', notify.email) }
		: { type: 'webhook', endpoint: requireUrl(ctx, itemIndex, 'Notify webhook URL', notify.endpoint) };
}

/**
 * The `deliver` object. Bright Data documents only the S3 shape (and a webhook one in its CLI);
 * the other destinations follow the same pattern: type, location, credentials, filename.
 */
function deliverObject(ctx: IExecuteFunctions, itemIndex: number, deliver: IDataObject): IDataObject {
	const required = (label: string, name: string) => requireText(ctx, itemIndex, label, deliver[name]);
	const template = text(deliver.filename);
	const common = {
		filename: { ...(template ? { template } : {}), extension: text(deliver.extension) || 'json' },
		delivery_type: 'deliver_results',
	};
	const directory = text(deliver.directory);
	switch (deliver.type) {
		case 's3':
			return {
				type: 's3',
				bucket: required('Bucket', 'bucket'),
				...(text(deliver.region) ? { region: text(deliver.region) } : {}),
				directory,
				credentials: {
					'aws-access-key': required('Access Key ID', 'accessKey'),
					'aws-secret-key': required('Secret Access Key', 'secretKey'),
				},
				...common,
			};
		case 'gcs':
			return {
				type: 'gcs',
				bucket: required('Bucket', 'bucket'),
				directory,
				credentials: { client_email: required('Client Email', 'clientEmail'), private_key: required('Private Key', 'privateKey') },
				...common,
			};
		case 'azure':
			return {
				type: 'azure',
				container: required('Container', 'container'),
				directory,
				credentials: { account: required('Account', 'account'), key: required('Account Key', 'key') },
				...common,
			};
		case 'sftp':
			return {
				type: 'sftp',
				host: required('Host', 'host'),
				port: typeof deliver.port === 'number' ? deliver.port : 22,
				directory,
				credentials: { username: required('Username', 'username'), password: required('Password', 'password') },
				...common,
			};
		case 'email':
			return { type: 'email', email: required('Email', 'email'), ...common };
		default:
			return { type: 'webhook', endpoint: requireUrl(ctx, itemIndex, 'Deliver webhook URL', deliver.endpoint), ...common };
	}
}

/** The `notify` and `deliver` query parameters (JSON strings: the HTTP layer URL-encodes them once), and their secrets. */
export function readDelivery(ctx: IExecuteFunctions, itemIndex: number): { query: IDataObject; secrets: string[] } {
	const { notify, deliver } = ctx.getNodeParameter('delivery', itemIndex, {}) as DeliveryParameter;
	const query: IDataObject = {};
	if (notify) query.notify = JSON.stringify(notifyObject(ctx, itemIndex, notify));
	if (deliver) query.deliver = JSON.stringify(deliverObject(ctx, itemIndex, deliver));
	const secrets = deliver ? SECRET_FIELDS.map((name) => text(deliver[name])).filter(Boolean) : [];
	return { query, secrets };
}

/**
 * n8n copies the node, parameters included, into every error and logs it at debug level:
 * blank out the delivery secrets of an error's node before it leaves the node.
 */
export function withoutDeliverySecrets<E>(error: E): E {
	const deliver = (error as { node?: { parameters?: { delivery?: DeliveryParameter } } })?.node?.parameters?.delivery?.deliver;
	if (deliver) for (const name of SECRET_FIELDS) if (deliver[name]) deliver[name] = '[redacted]';
	return error;
}
