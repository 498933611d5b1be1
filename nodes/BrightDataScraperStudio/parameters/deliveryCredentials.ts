/**
 * One definition per delivery destination: its n8n credential, the format checks (run by the
 * credential's Test button and by the node before any request) and what it adds to `deliver`.
 */
import { createPrivateKey } from 'node:crypto';
import type { ICredentialDataDecryptedObject as Data, IDataObject } from 'n8n-workflow';

import { offlineCredentialTest } from '../../shared/offlineCredentialTest';

export type SecretDestination = 's3' | 'gcs' | 'azure' | 'sftp' | 'webhook';

export interface DestinationCredential {
	type: string; // the n8n credential type
	title: string;
	field: string;
	optional: boolean;
	required: Record<string, string>; // fields that must not be empty, and their labels
	secret: string; // the one secret field, redacted from every error
	/** Format checks: a problem when `bad` holds, in words that never repeat a value. */
	checks: Array<[bad: (data: Data) => boolean, problem: string]>;
	deliverFields: (data: Data) => IDataObject; // what it adds to the `deliver` object
}

const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
const mismatch = (name: string, pattern: RegExp) => (data: Data) =>
	text(data[name]) !== '' && !pattern.test(text(data[name]));

// A key from the JSON key file has its line breaks written as `\n`; Bright Data needs real ones.
const normalizePrivateKey = (value: unknown): string => text(text(value).replace(/\\n/g, '\n'));

function isPrivateKey(pem: string): boolean {
	try {
		return createPrivateKey(pem).type === 'private';
	} catch {
		return false;
	}
}

const sftpPort = (data: Data) =>
	data.port === undefined || data.port === '' ? 22 : Number(data.port);
/** The credential type's name and the node's field for it (for messages); only a webhook works without one. */
const named = (kind: string, optional = false) => ({
	title: `Bright Data Scraper Studio: ${kind} Delivery API`,
	field: `${kind} Delivery Credential${optional ? ' (Optional)' : ''}`,
	optional,
});

export const DESTINATION_CREDENTIALS: Record<SecretDestination, DestinationCredential> = {
	s3: {
		type: 'brightDataScraperStudioS3Api',
		...named('S3'),
		required: { accessKeyId: 'Access Key ID', secretAccessKey: 'Secret Access Key' },
		secret: 'secretAccessKey',
		checks: [
			[
				mismatch('accessKeyId', /^[A-Z0-9]{16,128}$/),
				'Access Key ID should be capital letters and digits only, like AKIA… (16 to 128 characters)',
			],
			[mismatch('secretAccessKey', /^\S+$/), 'Secret Access Key contains spaces or line breaks'],
		],
		deliverFields: (data) => ({
			credentials: {
				'aws-access-key': text(data.accessKeyId),
				'aws-secret-key': text(data.secretAccessKey),
			},
		}),
	},
	gcs: {
		type: 'brightDataScraperStudioGcsApi',
		...named('GCS'),
		required: { clientEmail: 'Client Email', privateKey: 'Private Key' },
		secret: 'privateKey',
		checks: [
			[mismatch('clientEmail', /^[^\s@]+@[^\s@]+$/), 'Client Email is not an email address'],
			[
				(data) =>
					text(data.privateKey) !== '' && !isPrivateKey(normalizePrivateKey(data.privateKey)),
				'Private Key is not a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)',
			],
		],
		deliverFields: (data) => ({
			credentials: {
				client_email: text(data.clientEmail),
				private_key: normalizePrivateKey(data.privateKey),
			},
		}),
	},
	azure: {
		type: 'brightDataScraperStudioAzureApi',
		...named('Azure'),
		required: { account: 'Storage Account Name', secretKey: 'Account Key' },
		secret: 'secretKey',
		checks: [
			[
				mismatch('account', /^[a-z0-9]{3,24}$/),
				'Storage Account Name should be 3 to 24 lowercase letters and digits',
			],
			// A whole connection string (…;AccountKey=…;…) is the usual mistake.
			[
				mismatch('secretKey', /^[A-Za-z0-9+/]+={0,2}$/),
				'Account Key should be the key alone (base64), not a connection string',
			],
		],
		deliverFields: (data) => ({
			credentials: { account: text(data.account), key: text(data.secretKey) },
		}),
	},
	sftp: {
		type: 'brightDataScraperStudioSftpApi',
		...named('SFTP'),
		required: { host: 'Host', username: 'Username', password: 'Password' },
		secret: 'password',
		checks: [
			[
				mismatch('host', /^[^\s/:@]+$/),
				'Host should be a server name or IP address alone, without sftp:// or a path',
			],
			[
				(data) => !Number.isInteger(sftpPort(data)) || sftpPort(data) < 1 || sftpPort(data) > 65535,
				'Port should be a number from 1 to 65535',
			],
		],
		deliverFields: (data) => ({
			host: text(data.host),
			port: sftpPort(data),
			credentials: { username: text(data.username), password: text(data.password) },
		}),
	},
	webhook: {
		type: 'brightDataScraperStudioWebhookApi',
		...named('Webhook', true),
		required: { authorizationToken: 'Authorization Header' },
		secret: 'authorizationToken',
		// A line break would end the header early (and is refused by HTTP clients anyway).
		checks: [
			[mismatch('authorizationToken', /^[^\r\n\0]+$/), 'Authorization Header must be one line'],
		],
		// Undocumented [INF]: Bright Data's UI offers the header; its DCA docs name no field for it.
		deliverFields: (data) => ({ auth_header: text(data.authorizationToken) }),
	},
};

export const problemsOf = (destination: DestinationCredential, data: Data): string[] => [
	...Object.entries(destination.required)
		.filter(([name]) => !text(data[name]))
		.map(([, label]) => `${label} is empty`),
	...destination.checks.filter(([bad]) => bad(data)).map(([, problem]) => problem),
];

/**
 * The secret as typed and as sent, line by line (a PEM key) and a Bearer header's token: apiRequest
 * redacts each of them, in its escaped forms too, from every error.
 */
export function credentialSecrets(destination: DestinationCredential, data: Data): string[] {
	const sent = normalizePrivateKey(data[destination.secret]);
	const lines = sent.split('\n').map((line) => line.trim());
	return [
		...new Set([
			text(data[destination.secret]),
			sent,
			...lines.filter((line) => line.length >= 8 && !line.startsWith('-----')),
			...(/^Bearer\s+(\S.*)$/i.exec(sent)?.slice(1) ?? []),
		]),
	].filter(Boolean);
}

// The Test button checks the format only: Bright Data itself connects to the destination when a job ends.
// `methods.credentialTest` of the node; each name is the `testedBy` of its credential entry.
const testName = (destination: DestinationCredential) => destination.type.replace(/Api$/, 'Test');
export const deliveryCredentialTests = Object.fromEntries(
	Object.values(DESTINATION_CREDENTIALS).map((destination) => [
		testName(destination),
		offlineCredentialTest(
			(data) => problemsOf(destination, data),
			'The fields are complete and well-formed. Bright Data connects to the destination itself when a job ends.',
		),
	]),
);
