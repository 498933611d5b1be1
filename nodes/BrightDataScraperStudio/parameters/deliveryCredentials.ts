/**
 * The n8n credentials that hold what Bright Data needs to write to a delivery destination
 * (keys, passwords, an Authorization header). n8n stores them encrypted, apart from the workflow;
 * the node reads them only while it builds the `deliver` query parameter of POST /dca/trigger.
 *
 * One definition per destination kind: the credential type, the format checks (shared by the
 * credential's Test button and by the node before any request), and the part of the `deliver`
 * object the credential provides.
 */
import { createPrivateKey } from 'node:crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { offlineCredentialTest } from '../../shared/offlineCredentialTest';

export type SecretDestination = 's3' | 'gcs' | 'azure' | 'sftp' | 'webhook';

/**
 * Undocumented [INF]: the field of a webhook `deliver` object that carries the Authorization header
 * Bright Data sends with the rows. Bright Data's UI offers the header; its DCA docs show no field.
 */
export const WEBHOOK_AUTH_FIELD = 'auth_header';

export interface DestinationCredential {
	/** The n8n credential type name. */
	type: string;
	/** The credential type's name in the editor, for messages. */
	title: string;
	/** The label of the node's field where it is selected (displayName of the node's credential entry). */
	field: string;
	/** Credential fields that are secrets: redacted from every error. */
	secretFields: string[];
	/** What is wrong with the fields' format, in words that never repeat a value. */
	problems: (data: ICredentialDataDecryptedObject) => string[];
	/** The fields this destination adds to the `deliver` object. */
	deliverFields: (data: ICredentialDataDecryptedObject) => IDataObject;
}

const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
const missing = (data: ICredentialDataDecryptedObject, fields: Array<[string, string]>): string[] =>
	fields.filter(([name]) => !text(data[name])).map(([, label]) => `${label} is empty`);

/**
 * A service account key as it sits in the JSON key file has its line breaks written as `\n`;
 * people paste it either way. Bright Data needs the real line breaks.
 */
export const normalizePrivateKey = (value: unknown): string =>
	text(text(value).replace(/\\n/g, '\n'));

function isPrivateKey(pem: string): boolean {
	try {
		return createPrivateKey(pem).type === 'private';
	} catch {
		return false;
	}
}

const title = (kind: string) => `Bright Data Scraper Studio: ${kind} Delivery API`;

export const DESTINATION_CREDENTIALS: Record<SecretDestination, DestinationCredential> = {
	s3: {
		type: 'brightDataScraperStudioS3Api',
		title: title('S3'),
		field: 'S3 Delivery Credential',
		secretFields: ['secretAccessKey'],
		problems: (data) => [
			...missing(data, [
				['accessKeyId', 'Access Key ID'],
				['secretAccessKey', 'Secret Access Key'],
			]),
			...(text(data.accessKeyId) && !/^[A-Z0-9]{16,128}$/.test(text(data.accessKeyId))
				? [
						'Access Key ID should be capital letters and digits only, like AKIA… (16 to 128 characters)',
					]
				: []),
			...(/\s/.test(text(data.secretAccessKey))
				? ['Secret Access Key contains spaces or line breaks']
				: []),
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
		title: title('GCS'),
		field: 'GCS Delivery Credential',
		secretFields: ['privateKey'],
		problems: (data) => [
			...missing(data, [
				['clientEmail', 'Client Email'],
				['privateKey', 'Private Key'],
			]),
			...(text(data.clientEmail) && !/^[^\s@]+@[^\s@]+$/.test(text(data.clientEmail))
				? ['Client Email is not an email address']
				: []),
			...(text(data.privateKey) && !isPrivateKey(normalizePrivateKey(data.privateKey))
				? [
						'Private Key is not a PEM private key (-----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----)',
					]
				: []),
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
		title: title('Azure'),
		field: 'Azure Delivery Credential',
		secretFields: ['secretKey'],
		problems: (data) => [
			...missing(data, [
				['account', 'Storage Account Name'],
				['secretKey', 'Account Key'],
			]),
			...(text(data.account) && !/^[a-z0-9]{3,24}$/.test(text(data.account))
				? ['Storage Account Name should be 3 to 24 lowercase letters and digits']
				: []),
			// A whole connection string (…;AccountKey=…;…) is the usual mistake.
			...(text(data.secretKey) && !/^[A-Za-z0-9+/]+={0,2}$/.test(text(data.secretKey))
				? ['Account Key should be the key alone (base64), not a connection string']
				: []),
		],
		deliverFields: (data) => ({
			credentials: { account: text(data.account), key: text(data.secretKey) },
		}),
	},
	sftp: {
		type: 'brightDataScraperStudioSftpApi',
		title: title('SFTP'),
		field: 'SFTP Delivery Credential',
		secretFields: ['password'],
		problems: (data) => {
			const port = data.port === undefined || data.port === '' ? 22 : Number(data.port);
			return [
				...missing(data, [
					['host', 'Host'],
					['username', 'Username'],
					['password', 'Password'],
				]),
				...(text(data.host) && !/^[^\s/:@]+$/.test(text(data.host))
					? ['Host should be a server name or IP address alone, without sftp:// or a path']
					: []),
				...(!Number.isInteger(port) || port < 1 || port > 65535
					? ['Port should be a number from 1 to 65535']
					: []),
			];
		},
		deliverFields: (data) => ({
			host: text(data.host),
			port: data.port === undefined || data.port === '' ? 22 : Number(data.port),
			credentials: { username: text(data.username), password: text(data.password) },
		}),
	},
	webhook: {
		type: 'brightDataScraperStudioWebhookApi',
		title: title('Webhook'),
		field: 'Webhook Delivery Credential (Optional)',
		secretFields: ['authorizationToken'],
		problems: (data) => [
			...missing(data, [['authorizationToken', 'Authorization Header']]),
			// A line break would end the header early (and is refused by HTTP clients anyway).
			...(/[\r\n\0]/.test(text(data.authorizationToken))
				? ['Authorization Header must be one line']
				: []),
		],
		deliverFields: (data) => ({ [WEBHOOK_AUTH_FIELD]: text(data.authorizationToken) }),
	},
};

/**
 * Every form a secret can take in a request or an echo of it: as typed, JSON-escaped (the `deliver`
 * value is JSON), line by line (a PEM key), and a Bearer header's token. Short pieces are left out
 * by the redactor itself.
 */
export function secretForms(value: string): string[] {
	const escaped = JSON.stringify(value).slice(1, -1);
	const lines = value
		.split('\n')
		.map((line) => line.trim())
		.filter((line) => line.length >= 8 && !/^-----/.test(line));
	const bearer = /^\s*Bearer\s+(\S.*)$/i.exec(value)?.[1]?.trim();
	return [...new Set([value, escaped, ...lines, ...(bearer ? [bearer] : [])].filter(Boolean))];
}

/** The secrets of a destination credential, for redaction. */
export function credentialSecrets(
	destination: DestinationCredential,
	data: ICredentialDataDecryptedObject,
): string[] {
	return destination.secretFields.flatMap((name) => {
		const value = name === 'privateKey' ? normalizePrivateKey(data[name]) : text(data[name]);
		return value
			? [...secretForms(value), ...(name === 'privateKey' ? secretForms(text(data[name])) : [])]
			: [];
	});
}

/**
 * The credential's Test button: an offline check of the format, nothing is sent. Bright Data is
 * the one that connects to the destination, when a job ends, so a wrong but well-formed key only
 * shows in the job's delivery status at Bright Data.
 */
const credentialTest = (destination: DestinationCredential) =>
	offlineCredentialTest(
		destination.problems,
		'The fields are complete and well-formed. Bright Data connects to the destination itself when a job ends.',
	);

/** `methods.credentialTest` of the node: the names match `testedBy` in its credentials list. */
export const deliveryCredentialTests = {
	brightDataScraperStudioS3Test: credentialTest(DESTINATION_CREDENTIALS.s3),
	brightDataScraperStudioGcsTest: credentialTest(DESTINATION_CREDENTIALS.gcs),
	brightDataScraperStudioAzureTest: credentialTest(DESTINATION_CREDENTIALS.azure),
	brightDataScraperStudioSftpTest: credentialTest(DESTINATION_CREDENTIALS.sftp),
	brightDataScraperStudioWebhookTest: credentialTest(DESTINATION_CREDENTIALS.webhook),
};
