import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { credentialOnce } from '../../shared/transport/credential';
import { nodeParameter, type ReadParameter } from './constant';
import {
	credentialSecrets,
	DESTINATION_CREDENTIALS,
	problemsOf,
	type SecretDestination,
} from './deliveryCredentials';

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** The error of a bad Delivery for one item (thrown before any request). */
const failer =
	(ctx: IExecuteFunctions, itemIndex: number) =>
	(message: string, description?: string): never => {
		throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	};

/** What the destination's credential adds to `deliver`, and its secrets. */
async function credentialAccess(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: SecretDestination,
) {
	const fail = failer(ctx, itemIndex);
	const destination = DESTINATION_CREDENTIALS[kind];
	const selected = ctx.getNode().credentials?.[destination.type];
	if (!selected) {
		if (destination.optional) return { fields: {}, secrets: [] };
		return fail(
			`Deliver Rows To needs a "${destination.title}" credential`,
			`Select or create one in the node's field "${destination.field}". It holds the keys Bright Data uses to write the rows, encrypted by n8n.`,
		);
	}
	const data = await credentialOnce(ctx, destination.type, itemIndex);
	const problems = problemsOf(destination, data);
	if (problems.length) {
		fail(
			`The delivery credential "${selected.name}" is not usable: ${problems.join('; ')}`,
			`Fix it in Credentials → ${selected.name} (${destination.title}).`,
		);
	}
	return { fields: destination.deliverFields(data), secrets: credentialSecrets(destination, data) };
}

/**
 * The `notify` and `deliver` query parameters (JSON strings: the HTTP layer URL-encodes them once),
 * and the secrets `deliver` carries, which every error is redacted of. Bright Data documents only
 * the S3 and webhook `deliver` shapes; the others follow the same pattern.
 */
export async function readDelivery(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
): Promise<{ query: IDataObject; secrets: string[] }> {
	const fail = failer(ctx, itemIndex);
	const required = (label: string, value: unknown) =>
		text(value) || fail(`${label} is required for this delivery`);
	const url = (label: string, value: unknown) =>
		/^https?:\/\/[^\s]+$/i.test(text(value))
			? text(value)
			: fail(`${label} must be an http(s) URL (got "${text(value)}")`);

	const { notify, deliver } = read('delivery', itemIndex, {}) as Record<string, IDataObject>;
	const query: IDataObject = {};
	if (notify) {
		query.notify = JSON.stringify(
			notify.type === 'email'
				? { type: 'email', email: required('Notify email', notify.email) }
				: { type: 'webhook', endpoint: url('Notify webhook URL', notify.endpoint) },
		);
	}
	if (!deliver) return { query, secrets: [] };

	const type = String(deliver.type ?? 'webhook');
	const directory = text(deliver.directory);
	// Where the rows go, checked before the credential is read.
	const locations: Record<string, () => IDataObject> = {
		email: () => ({ email: required('Email', deliver.email) }),
		s3: () => ({
			bucket: required('Bucket', deliver.bucket),
			...(text(deliver.region) ? { region: text(deliver.region) } : {}),
			directory,
		}),
		gcs: () => ({ bucket: required('Bucket', deliver.bucket), directory }),
		azure: () => ({ container: required('Container', deliver.container), directory }),
		sftp: () => ({ directory }),
		webhook: () => ({ endpoint: url('Deliver webhook URL', deliver.endpoint) }),
	};
	if (!Object.prototype.hasOwnProperty.call(locations, type))
		fail(`Unknown delivery type "${type}"`);
	const location = locations[type]();
	const access =
		type === 'email'
			? { fields: {}, secrets: [] }
			: await credentialAccess(ctx, itemIndex, type as SecretDestination);
	const template = text(deliver.filename);
	query.deliver = JSON.stringify({
		type,
		...location,
		...access.fields,
		filename: { ...(template ? { template } : {}), extension: text(deliver.extension) || 'json' },
		delivery_type: 'deliver_results',
	});
	return { query, secrets: access.secrets };
}
