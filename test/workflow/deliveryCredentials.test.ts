/**
 * Delivery destinations as n8n credentials, through n8n's engine against the emulator:
 * - the `deliver` query value is built from the selected credential at run time;
 * - S3, GCS, Azure and SFTP without their credential: an error before any request; a malformed
 *   credential too;
 * - the editor shows each credential only for its destination, and no key fields on the node
 *   (n8n's own display rules, as the editor and the engine apply them);
 * - the credentials' Test button (the node's credentialTest methods) checks the format offline.
 */
import { generateKeyPairSync } from 'node:crypto';

import { NodeHelpers, type ICredentialDataDecryptedObject, type INodeParameters } from 'n8n-workflow';

import { BrightDataScraperStudio } from '../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node';
import { startReceiver } from '../emulator/client';
import { useEmulator } from '../harness/emulator';
import { getDataset, trigger, triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER, type RunResult } from '../harness/workflow';
import { mark } from '../reliability/helpers';

const emulator = useEmulator();
const api = () => emulator.current();

const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const CREDENTIALS: Record<'s3' | 'gcs' | 'azure' | 'sftp' | 'webhook', [type: string, data: ICredentialDataDecryptedObject]> = {
	s3: ['brightDataScraperStudioS3Api', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }],
	gcs: ['brightDataScraperStudioGcsApi', { clientEmail: 'scraper@proj.iam.gserviceaccount.com', privateKey: PEM }],
	azure: ['brightDataScraperStudioAzureApi', { account: 'mystorage', secretKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==' }],
	sftp: ['brightDataScraperStudioSftpApi', { host: 'sftp.example.com', port: 2222, username: 'bd', password: 'sftp-Pa55word!with&odd=chars#' }],
	webhook: ['brightDataScraperStudioWebhookApi', { authorizationToken: 'Bearer e2e-shared-secret-0123456789' }],
};
const credential = (kind: keyof typeof CREDENTIALS, data: ICredentialDataDecryptedObject = CREDENTIALS[kind][1]) => ({ [CREDENTIALS[kind][0]]: data });

const items = [{ url: 'https://shop.example/product/speaker' }];
const deliverTo = (deliver: INodeParameters) => trigger('c_products01', { delivery: { deliver } });
const run = (parameters: INodeParameters, credentials: Record<string, ICredentialDataDecryptedObject> = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: api().token, credentials });

/** The `deliver` object of the one trigger request made since `since`. */
function deliverSent(since: ReturnType<typeof mark>): Record<string, unknown> | undefined {
	const triggers = since().requests.filter(({ path }) => path === '/dca/trigger');
	expect(triggers).toHaveLength(1);
	return triggers[0].query.deliver === undefined ? undefined : (JSON.parse(triggers[0].query.deliver) as Record<string, unknown>);
}
const hintsOf = (result: RunResult) => (result.run.data.resultData.runData[SCRAPER]?.[0]?.hints ?? []).map(({ message }) => message);

describe('the deliver query value is built from the selected credential', () => {
	const common = { filename: { extension: 'json' }, delivery_type: 'deliver_results' };
	test.each([
		[
			's3',
			{ type: 's3', bucket: 'scrapes', region: 'eu-west-1', directory: 'daily' },
			{ type: 's3', bucket: 'scrapes', region: 'eu-west-1', directory: 'daily', credentials: { 'aws-access-key': 'AKIAIOSFODNN7EXAMPLE', 'aws-secret-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } },
		],
		['gcs', { type: 'gcs', bucket: 'rows' }, { type: 'gcs', bucket: 'rows', directory: '', credentials: { client_email: 'scraper@proj.iam.gserviceaccount.com', private_key: PEM.trim() } }],
		[
			'azure',
			{ type: 'azure', container: 'rows', directory: 'in' },
			{ type: 'azure', container: 'rows', directory: 'in', credentials: { account: 'mystorage', key: CREDENTIALS.azure[1].secretKey } },
		],
		[
			'sftp',
			{ type: 'sftp', directory: '/upload' },
			{ type: 'sftp', host: 'sftp.example.com', port: 2222, directory: '/upload', credentials: { username: 'bd', password: 'sftp-Pa55word!with&odd=chars#' } },
		],
		[
			'webhook',
			{ type: 'webhook', endpoint: 'http://127.0.0.1:9/hook' },
			{ type: 'webhook', endpoint: 'http://127.0.0.1:9/hook', auth_header: 'Bearer e2e-shared-secret-0123456789' },
		],
	] as const)('%s', async (kind, deliver, expected) => {
		const since = mark(api());
		const result = await run(deliverTo(deliver), credential(kind));

		expect(result.error).toBeUndefined();
		expect(deliverSent(since)).toEqual({ ...expected, ...common });
		expect(hintsOf(result)).toEqual([]);
	});

	test('a private key pasted with literal \\n (as in the JSON key file) is sent with real line breaks', async () => {
		const since = mark(api());
		const result = await run(deliverTo({ type: 'gcs', bucket: 'rows' }), credential('gcs', { clientEmail: 'a@b.iam', privateKey: PEM.replace(/\n/g, '\\n') }));

		expect(result.error).toBeUndefined();
		expect((deliverSent(since)?.credentials as { private_key: string }).private_key).toBe(PEM.trim());
	});

	test('a webhook without a credential sends no Authorization header field', async () => {
		const since = mark(api());
		const result = await run(deliverTo({ type: 'webhook', endpoint: 'http://127.0.0.1:9/hook' }));

		expect(result.error).toBeUndefined();
		expect(deliverSent(since)).toEqual({ type: 'webhook', endpoint: 'http://127.0.0.1:9/hook', ...common });
	});

	test('the webhook credential\'s header reaches the webhook with the rows (emulated delivery)', async () => {
		const receiver = await startReceiver();
		try {
			const result = await run(deliverTo({ type: 'webhook', endpoint: `${receiver.url}/rows` }), credential('webhook'));
			const snapshotId = String(result.items[0]?.json.snapshot_id);
			api().finish(snapshotId);
			await api().deliveriesSettled();

			expect(receiver.received.map(({ path, headers }) => [path, headers.authorization])).toEqual([['/rows', 'Bearer e2e-shared-secret-0123456789']]);
			expect(JSON.parse(receiver.received[0].body)).toHaveLength(1);
		} finally {
			await receiver.close();
		}
	});

	test('Trigger and Wait takes the credential the same way and still outputs the rows', async () => {
		const since = mark(api());
		const result = await run(triggerAndWait('c_products01', { delivery: { deliver: { type: 's3', bucket: 'scrapes' } } }), credential('s3'));

		expect(result.status).toBe('success');
		expect(result.items.length).toBeGreaterThan(0);
		expect((deliverSent(since)?.credentials as Record<string, string>)['aws-secret-key']).toBe('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
	});
});

describe('checked before any request', () => {
	test.each([
		['s3', 'S3'],
		['gcs', 'GCS'],
		['azure', 'Azure'],
		['sftp', 'SFTP'],
	])('%s without its credential: an error for the item, naming the credential and the field to select it in', async (type, kind) => {
		const since = mark(api());
		// Key fields typed into the Delivery parameter (an expression could put them there) are not read.
		const result = await run(deliverTo({ type, bucket: 'b', container: 'c', accessKey: 'AKIAOLDOLDOLDOLD0000', secretKey: 'typed-into-the-node', password: 'p4ssword-long' }));

		expect(result.error?.message).toBe(`Deliver Rows To needs a "Bright Data Scraper Studio: ${kind} Delivery API" credential`);
		expect(result.error?.description).toBe(
			`Select or create one in the node's field "${kind} Delivery Credential". It holds the keys Bright Data uses to write the rows, encrypted by n8n.`,
		);
		expect((result.error as { context?: { itemIndex?: number } } | undefined)?.context?.itemIndex).toBe(0);
		expect(since().requests).toEqual([]);
	});

	test.each([
		['s3', { accessKeyId: 'not a key id', secretAccessKey: 'with space secret' }, /Access Key ID should be capital letters.*Secret Access Key contains spaces/],
		['gcs', { clientEmail: 'a@b', privateKey: '{"private_key": "paste of the whole file"}' }, /Private Key is not a PEM private key/],
		['azure', { account: 'mystorage', secretKey: 'DefaultEndpointsProtocol=https;AccountName=mystorage;AccountKey=abc==' }, /not a connection string/],
		['sftp', { host: 'sftp://files.example.com', username: 'uploader', password: 'p4ssword-long' }, /Host should be a server name/],
		['webhook', { authorizationToken: 'Bearer a\r\nX-Injected: 1' }, /Authorization Header must be one line/],
	] as const)('%s: a malformed credential fails without showing its values', async (kind, data, message) => {
		const since = mark(api());
		const deliver = kind === 'webhook' ? { type: kind, endpoint: 'http://127.0.0.1:9/x' } : { type: kind, bucket: 'b', container: 'c' };
		const result = await run(deliverTo(deliver), credential(kind, data));

		expect(result.error?.message).toMatch(message);
		expect(since().requests).toEqual([]);
		const shown = JSON.stringify([result.error?.message, result.error?.description]);
		for (const value of Object.values(data)) expect(shown).not.toContain(value);
	});

	test('where the rows go is checked first: a missing bucket fails before the credential is read', async () => {
		const result = await run(deliverTo({ type: 's3', bucket: ' ' }));
		expect(result.error?.message).toBe('Bucket is required for this delivery');
	});
});

describe('what the editor shows (n8n\'s display rules on the node description)', () => {
	const description = new BrightDataScraperStudio().description;
	const credentialsShown = (parameters: INodeParameters) =>
		(description.credentials ?? []).filter((entry) => NodeHelpers.displayParameter(parameters, entry, null, description, parameters)).map(({ name }) => name);
	/** The node's parameters as n8n loads a saved workflow: defaults added, hidden values dropped. */
	const loaded = (parameters: INodeParameters) => NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description)!;

	test('each delivery credential only for its destination, on the operations that deliver', () => {
		const base = { resource: 'collection', operation: 'trigger' };
		expect(credentialsShown(loaded(base))).toEqual(['brightDataScraperStudioApi']);
		for (const [type, expected] of [
			['s3', 'brightDataScraperStudioS3Api'],
			['gcs', 'brightDataScraperStudioGcsApi'],
			['azure', 'brightDataScraperStudioAzureApi'],
			['sftp', 'brightDataScraperStudioSftpApi'],
			['webhook', 'brightDataScraperStudioWebhookApi'],
			['email', undefined],
		] as const) {
			const shown = credentialsShown(loaded({ ...base, operation: 'triggerAndWait', delivery: { deliver: { type } } }));
			expect([type, shown]).toEqual([type, ['brightDataScraperStudioApi', ...(expected ? [expected] : [])]]);
		}
		// The default destination (Webhook) when the type was never changed.
		expect(credentialsShown(loaded({ ...base, delivery: { deliver: {} } }))).toContain('brightDataScraperStudioWebhookApi');
		expect(credentialsShown(loaded(getDataset('j_1')))).toEqual(['brightDataScraperStudioApi']);
	});

	test('the node has no key fields: a destination has only where the rows go, and key values given to it are dropped', () => {
		const fresh = loaded({ operation: 'trigger', delivery: { deliver: { type: 's3', bucket: 'b' } } });
		expect(Object.keys((fresh.delivery as { deliver: object }).deliver).sort()).toEqual(['bucket', 'directory', 'extension', 'filename', 'region', 'type']);

		const typed = loaded({ operation: 'trigger', delivery: { deliver: { type: 'sftp', host: 'h', username: 'u', password: 'p', secretKey: 'k' } } });
		expect(Object.keys((typed.delivery as { deliver: object }).deliver).sort()).toEqual(['directory', 'extension', 'filename', 'type']);
	});
});

describe('the credentials\' Test button checks the format offline', () => {
	const tests = new BrightDataScraperStudio().methods.credentialTest;
	const check = async (name: keyof typeof tests, data: ICredentialDataDecryptedObject) =>
		await tests[name].call({} as never, { id: '1', name: 'c', type: 't', data });

	test('every credential entry of the node names an existing test', () => {
		const entries = new BrightDataScraperStudio().description.credentials!.filter(({ name }) => name !== 'brightDataScraperStudioApi');
		expect(entries.map(({ testedBy }) => typeof testedBy === 'string' && testedBy in tests)).toEqual([true, true, true, true, true]);
	});

	test.each([
		['brightDataScraperStudioS3Test', CREDENTIALS.s3[1]],
		['brightDataScraperStudioGcsTest', CREDENTIALS.gcs[1]],
		['brightDataScraperStudioAzureTest', CREDENTIALS.azure[1]],
		['brightDataScraperStudioSftpTest', CREDENTIALS.sftp[1]],
		['brightDataScraperStudioWebhookTest', CREDENTIALS.webhook[1]],
	] as const)('%s: well-formed → OK, empty → Error naming the fields', async (name, data) => {
		expect(await check(name, data)).toMatchObject({ status: 'OK' });
		const empty = await check(name, {});
		expect(empty.status).toBe('Error');
		expect(empty.message).toMatch(/is empty/);
	});
});
