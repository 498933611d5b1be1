import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { nodeParameter, type ReadParameter } from './constant';
import {
	credentialSecrets,
	DESTINATION_CREDENTIALS,
	secretForms,
	type SecretDestination,
} from './deliveryCredentials';

/**
 * Fields of the Delivery parameter that held secrets before delivery credentials existed. Still
 * read from workflows saved with them (see `legacyAccess`), and kept out of every error.
 */
const SECRET_FIELDS = ['secretKey', 'privateKey', 'key', 'password'] as const;

/** The old access fields of each destination, as workflows saved before the credentials hold them. */
const LEGACY_FIELDS: Record<
	Exclude<SecretDestination, 'webhook'>,
	Array<[name: string, label: string]>
> = {
	s3: [
		['accessKey', 'Access Key ID'],
		['secretKey', 'Secret Access Key'],
	],
	gcs: [
		['clientEmail', 'Client Email'],
		['privateKey', 'Private Key'],
	],
	azure: [
		['account', 'Account'],
		['key', 'Account Key'],
	],
	sftp: [
		['host', 'Host'],
		['username', 'Username'],
		['password', 'Password'],
	],
};

interface DeliveryParameter {
	notify?: IDataObject;
	deliver?: IDataObject;
}

/** What a destination's access adds to the `deliver` object, and the secrets in it. */
interface DestinationAccess {
	fields: IDataObject;
	secrets: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

function requireUrl(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	value: unknown,
): string {
	const url = text(value);
	if (!/^https?:\/\/[^\s]+$/i.test(url)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be an http(s) URL (got "${url}")`, {
			itemIndex,
		});
	}
	return url;
}

function requireText(
	ctx: IExecuteFunctions,
	itemIndex: number,
	label: string,
	value: unknown,
): string {
	const result = text(value);
	if (!result)
		throw new NodeOperationError(ctx.getNode(), `${label} is required for this delivery`, {
			itemIndex,
		});
	return result;
}

function notifyObject(ctx: IExecuteFunctions, itemIndex: number, notify: IDataObject): IDataObject {
	return notify.type === 'email'
		? { type: 'email', email: requireText(ctx, itemIndex, 'Notify email', notify.email) }
		: {
				type: 'webhook',
				endpoint: requireUrl(ctx, itemIndex, 'Notify webhook URL', notify.endpoint),
			};
}

const isSecretDestination = (type: unknown): type is SecretDestination =>
	typeof type === 'string' && Object.prototype.hasOwnProperty.call(DESTINATION_CREDENTIALS, type);

/** Execution hints already given by this run of the node: one per message, not one per item. */
const hinted = new WeakMap<IExecuteFunctions, Set<string>>();
function hintOnce(ctx: IExecuteFunctions, message: string): void {
	const given = hinted.get(ctx) ?? new Set<string>();
	hinted.set(ctx, given);
	if (given.has(message)) return;
	given.add(message);
	ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

/**
 * A credential is read once per run of the node: n8n looks it up and decrypts it on every call,
 * and a run can have thousands of items. (An expression in a credential field is therefore
 * resolved for the first item that uses it.)
 */
const credentialCache = new WeakMap<
	IExecuteFunctions,
	Map<string, Promise<ICredentialDataDecryptedObject>>
>();
async function readCredential(
	ctx: IExecuteFunctions,
	type: string,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject> {
	const cache =
		credentialCache.get(ctx) ?? new Map<string, Promise<ICredentialDataDecryptedObject>>();
	credentialCache.set(ctx, cache);
	if (!cache.has(type)) cache.set(type, ctx.getCredentials(type, itemIndex));
	return await cache.get(type)!;
}

/**
 * Workflows saved before the delivery credentials keep their keys in the node's parameters:
 * they still work, read as before, and the run says how to move them into a credential.
 */
function legacyAccess(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type: Exclude<SecretDestination, 'webhook'>,
	deliver: IDataObject,
): DestinationAccess {
	const required = (label: string, name: string) =>
		requireText(ctx, itemIndex, label, deliver[name]);
	const secrets = SECRET_FIELDS.map((name) => text(deliver[name]))
		.filter(Boolean)
		.flatMap(secretForms);
	switch (type) {
		case 's3':
			return {
				fields: {
					credentials: {
						'aws-access-key': required('Access Key ID', 'accessKey'),
						'aws-secret-key': required('Secret Access Key', 'secretKey'),
					},
				},
				secrets,
			};
		case 'gcs':
			return {
				fields: {
					credentials: {
						client_email: required('Client Email', 'clientEmail'),
						private_key: required('Private Key', 'privateKey'),
					},
				},
				secrets,
			};
		case 'azure':
			return {
				fields: {
					credentials: {
						account: required('Account', 'account'),
						key: required('Account Key', 'key'),
					},
				},
				secrets,
			};
		case 'sftp':
			return {
				fields: {
					host: required('Host', 'host'),
					port: typeof deliver.port === 'number' ? deliver.port : 22,
					credentials: {
						username: required('Username', 'username'),
						password: required('Password', 'password'),
					},
				},
				secrets,
			};
	}
}

/**
 * Where the destination's keys come from: the credential selected on the node (the only way for
 * new workflows), else the old node parameters of a workflow saved before (with a hint to move
 * them), else an error before any request. A webhook needs no credential: it only adds a header.
 */
async function destinationAccess(
	ctx: IExecuteFunctions,
	itemIndex: number,
	type: SecretDestination,
	deliver: IDataObject,
): Promise<DestinationAccess> {
	const destination = DESTINATION_CREDENTIALS[type];
	const selected = ctx.getNode().credentials?.[destination.type];
	const legacy =
		type === 'webhook' ? [] : LEGACY_FIELDS[type].filter(([name]) => text(deliver[name]));
	const legacyLabels = legacy.map(([, label]) => label).join(', ');
	if (selected) {
		if (legacy.length) {
			hintOnce(
				ctx,
				`Delivery uses the credential "${selected.name}". The old fields of this node (${legacyLabels}) are ignored but still saved in the workflow: clear them.`,
			);
		}
		const data = await readCredential(ctx, destination.type, itemIndex);
		const problems = destination.problems(data);
		if (problems.length) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The delivery credential "${selected.name}" is not usable: ${problems.join('; ')}`,
				{
					itemIndex,
					description: `Fix it in Credentials → ${selected.name} (${destination.title}).`,
				},
			);
		}
		return {
			fields: destination.deliverFields(data),
			secrets: credentialSecrets(destination, data),
		};
	}
	if (type === 'webhook') return { fields: {}, secrets: [] };
	if (legacy.length) {
		hintOnce(
			ctx,
			`Delivery keys are saved in this workflow in plain text (${legacyLabels}). Create a "${destination.title}" credential with them, select it in "${destination.field}" on this node, and clear the old fields.`,
		);
		return legacyAccess(ctx, itemIndex, type, deliver);
	}
	throw new NodeOperationError(
		ctx.getNode(),
		`Deliver Rows To needs a "${destination.title}" credential`,
		{
			itemIndex,
			description: `Select or create one in the node's field "${destination.field}". It holds the keys Bright Data uses to write the rows, encrypted by n8n.`,
		},
	);
}

/**
 * The `deliver` object. Bright Data documents only the S3 shape (and a webhook one in its CLI);
 * the other destinations follow the same pattern: type, location, credentials, filename.
 */
async function deliverObject(
	ctx: IExecuteFunctions,
	itemIndex: number,
	deliver: IDataObject,
): Promise<{ value: IDataObject; secrets: string[] }> {
	const required = (label: string, name: string) =>
		requireText(ctx, itemIndex, label, deliver[name]);
	const template = text(deliver.filename);
	const common = {
		filename: { ...(template ? { template } : {}), extension: text(deliver.extension) || 'json' },
		delivery_type: 'deliver_results',
	};
	const directory = text(deliver.directory);
	const type = deliver.type ?? 'webhook';
	if (type === 'email')
		return { value: { type: 'email', email: required('Email', 'email'), ...common }, secrets: [] };
	if (!isSecretDestination(type))
		throw new NodeOperationError(ctx.getNode(), `Unknown delivery type "${String(type)}"`, {
			itemIndex,
		});
	// Where the rows go is checked before the credential is read.
	const location: IDataObject = {
		s3: () => ({
			bucket: required('Bucket', 'bucket'),
			...(text(deliver.region) ? { region: text(deliver.region) } : {}),
			directory,
		}),
		gcs: () => ({ bucket: required('Bucket', 'bucket'), directory }),
		azure: () => ({ container: required('Container', 'container'), directory }),
		sftp: () => ({ directory }),
		webhook: () => ({
			endpoint: requireUrl(ctx, itemIndex, 'Deliver webhook URL', deliver.endpoint),
		}),
	}[type]();
	const access = await destinationAccess(ctx, itemIndex, type, deliver);
	return { value: { type, ...location, ...access.fields, ...common }, secrets: access.secrets };
}

/**
 * The `notify` and `deliver` query parameters (JSON strings: the HTTP layer URL-encodes them once),
 * and the secrets they carry. `deliver` is where Bright Data's API takes a destination's keys; they
 * appear nowhere else, and every error is redacted of them.
 */
export async function readDelivery(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
): Promise<{ query: IDataObject; secrets: string[] }> {
	const { notify, deliver } = read('delivery', itemIndex, {}) as DeliveryParameter;
	const query: IDataObject = {};
	if (notify) query.notify = JSON.stringify(notifyObject(ctx, itemIndex, notify));
	if (!deliver) return { query, secrets: [] };
	const { value, secrets } = await deliverObject(ctx, itemIndex, deliver);
	query.deliver = JSON.stringify(value);
	return { query, secrets };
}

/**
 * n8n copies the node, parameters included, into every error and logs it at debug level:
 * blank out the old delivery secrets of an error's node before it leaves the node. (Credentials
 * are not parameters: the node copy holds only their ID and name.)
 */
export function withoutDeliverySecrets<E>(error: E): E {
	const deliver = (error as { node?: { parameters?: { delivery?: DeliveryParameter } } })?.node
		?.parameters?.delivery?.deliver;
	if (deliver) for (const name of SECRET_FIELDS) if (deliver[name]) deliver[name] = '[redacted]';
	return error;
}
