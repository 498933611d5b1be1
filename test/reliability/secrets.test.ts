/**
 * Secrets: the API token and the keys of delivery credentials never appear in output items, error
 * messages or descriptions, n8n's logs (every call, every level), or the request URLs the emulator
 * recorded. `deliver` is a documented query parameter of POST /dca/trigger, so delivery keys
 * necessarily travel in that one query value; nowhere else.
 * Also: the credential's Base URL must be https unless it is loopback, checked before any request.
 */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';

import nock from 'nock';
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import type { Fault } from '../../emulator/server';
import { useEmulator } from '../harness/emulator';
import { collectorId, triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER, type RunResult } from '../harness/workflow';
import { mark, recordN8nLogs, type LogRecord } from './helpers';

const TOKEN = 'tok_live_5f1e9c3a7b2d4e6f8091a2b3c4d5e6f7';
const emulatorLog: string[] = [];
const emulator = useEmulator({ token: TOKEN, logger: (line) => emulatorLog.push(line) });
const api = () => emulator.current();

const SECRETS = {
	s3: 'S3secretKEY/wJalrXUtnFEMI/K7MDENG+bPxRfiCYzz',
	gcs: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
	azure: 'AZUREaccountKEY0xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
	sftp: 'sftp-Pa55word!with&odd=chars#',
	webhook: 'Bearer cred-webhook-shared-secret-0123456789abcdef',
};
type Kind = keyof typeof SECRETS;
/** Each destination: its Deliver Rows To fields, and its credential (type and data) holding the secret. */
const DELIVERIES: Record<Kind, [INodeParameters, string, ICredentialDataDecryptedObject]> = {
	s3: [{ type: 's3', bucket: 'my-bucket', region: 'us-east-1' }, 'brightDataScraperStudioS3Api', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRETS.s3 }],
	gcs: [{ type: 'gcs', bucket: 'rows' }, 'brightDataScraperStudioGcsApi', { clientEmail: 'svc@proj.iam.gserviceaccount.com', privateKey: SECRETS.gcs }],
	azure: [{ type: 'azure', container: 'rows' }, 'brightDataScraperStudioAzureApi', { account: 'acct', secretKey: SECRETS.azure }],
	sftp: [{ type: 'sftp' }, 'brightDataScraperStudioSftpApi', { host: 'sftp.example.com', username: 'bd', password: SECRETS.sftp }],
	webhook: [{ type: 'webhook', endpoint: 'http://127.0.0.1:9/rows' }, 'brightDataScraperStudioWebhookApi', { authorizationToken: SECRETS.webhook }],
};
const KINDS = Object.keys(DELIVERIES) as Kind[];
const ALL_SECRETS = [TOKEN, ...Object.values(SECRETS)];
/** Any 16 characters in a row of a secret count as a leak (an excerpt may cut it). */
const needles = (secret: string) =>
	secret
		.split('\n')
		.filter((line) => line.length >= 16 && !line.startsWith('-----'))
		.flatMap((line) => Array.from({ length: line.length - 15 }, (_, start) => line.slice(start, start + 16)));

const items = [{ url: 'https://shop.example/product/speaker' }, { url: 'https://shop.example/product/fail-me' }];
type RunExtra = { continueOnFail?: boolean; cancelWhen?: () => boolean; token?: string; credentials?: Record<string, ICredentialDataDecryptedObject> };
const run = (parameters: INodeParameters, extra: RunExtra = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: TOKEN, ...extra });
/** Trigger and Wait (or `operation`) delivering to `kind`, with its credential selected. */
const delivering = (kind: Kind, extra: RunExtra = {}, parameters: INodeParameters = triggerAndWait('c_products01')) => {
	const [deliver, type, data] = DELIVERIES[kind];
	return run({ ...parameters, delivery: { deliver } }, { ...extra, credentials: { [type]: data } });
};

let logs: ReturnType<typeof recordN8nLogs>;
beforeAll(() => {
	logs = recordN8nLogs();
});
afterAll(() => logs.restore());

/** A copy of `value` without the node parameters n8n attaches to node errors (`error.node.parameters`). */
function withoutNodeParameters(value: unknown, seen = new WeakMap<object, unknown>()): unknown {
	if (typeof value !== 'object' || value === null) return value;
	if (seen.has(value)) return seen.get(value);
	const copy: Record<string, unknown> = Array.isArray(value) ? ([] as never) : {};
	seen.set(value, copy);
	const keys = new Set([...Object.keys(value), ...(value instanceof Error ? ['message', 'description', 'stack'] : [])]);
	for (const key of keys) {
		const field = (value as Record<string, unknown>)[key];
		copy[key] =
			key === 'node' && field && typeof field === 'object'
				? { ...(field as object), parameters: '[node parameters]' }
				: withoutNodeParameters(field, seen);
	}
	return copy;
}

const logText = (records: LogRecord[], keepNodeParameters = true) =>
	records
		.map((record) => inspect(keepNodeParameters ? record : withoutNodeParameters(record), { depth: 12, breakLength: Infinity }))
		.join('\n');

/** Where each secret showed up in what a user or an operator can see. */
function leaks(result: RunResult, since: { logs: number; emulatorLog: number; requests: ReturnType<typeof mark> }, secrets = ALL_SECRETS) {
	const runs = Object.values(result.run.data.resultData.runData).flat();
	const errors = [result.error, ...runs.map((taskData) => taskData.error)].filter(Boolean);
	const requests = since.requests().requests;
	const places: Array<[string, string, string[]]> = [
		['output items', JSON.stringify(result.outputOf(SCRAPER)), secrets],
		['error messages and descriptions', JSON.stringify(errors.map((error) => [error?.message, error?.description])), secrets],
		// The whole error as n8n saves it with the execution, except `node`: n8n copies the node (and so
		// its parameters) into every node error, and saves the workflow itself with the execution anyway.
		['saved error objects (without error.node)', JSON.stringify(errors.map((error) => ({ ...error, node: undefined }))), secrets],
		// What the node itself logs or puts in errors; n8n's copy of the node parameters is checked on its own below.
		['n8n logs (without error.node.parameters)', logText(logs.records.slice(since.logs), false), secrets],
		['request paths', requests.map(({ path }) => path).join('\n'), secrets],
		// `deliver` is the documented carrier of delivery credentials: only the token must stay out of it.
		['request queries other than deliver', requests.map(({ query }) => JSON.stringify({ ...query, deliver: undefined })).join('\n'), secrets],
		['request queries', requests.map(({ query }) => JSON.stringify(query)).join('\n'), [TOKEN]],
		['emulator request log', emulatorLog.slice(since.emulatorLog).join('\n'), [TOKEN]],
	];
	return places.flatMap(([place, text, wanted]) =>
		wanted.filter((secret) => needles(secret).some((needle) => text.includes(needle))).map((secret) => `${secret.slice(0, 12)}… in ${place}`),
	);
}

const since = () => ({ logs: logs.records.length, emulatorLog: emulatorLog.length, requests: mark(api()) });

// After every test of this file, whatever their order: the token is in no URL the emulator saw, nor in its log.
afterAll(() => {
	const urls = api().requests.map(({ path, query }) => `${path}?${new URLSearchParams(query).toString()}`);
	expect(urls.length).toBeGreaterThan(10);
	expect(urls.filter((url) => url.includes(TOKEN) || url.includes(encodeURIComponent(TOKEN)))).toEqual([]);
	expect(emulatorLog.filter((line) => line.includes(TOKEN))).toEqual([]);
});

describe('the token and delivery credentials never show', () => {
	test('the logs are really recorded (at debug level)', async () => {
		const before = logs.records.length;
		await run(triggerAndWait('c_products01'));
		expect(logs.records.slice(before).map(({ level }) => level)).toContain('debug');
	});

	test.each(KINDS)('%s delivery: rows arrive; its secret travels only inside the documented `deliver` query value', async (kind) => {
		const mark = since();
		const result = await delivering(kind);

		expect(result.status).toBe('success');
		expect(leaks(result, mark)).toEqual([]);
		const [trigger] = mark.requests().requests.filter(({ path }) => path === '/dca/trigger');
		const deliver = JSON.parse(trigger.query.deliver) as { credentials?: Record<string, string>; auth_header?: string };
		// Documented: `deliver` (with its credentials) is a query parameter of POST /dca/trigger.
		expect([...Object.values(deliver.credentials ?? {}), deliver.auth_header]).toContain(SECRETS[kind].trim());
	});

	test('a wrong token: the 401 error shows neither the wrong token nor the right one', async () => {
		const wrong = 'tok_wrong_0123456789abcdef0123456789';
		const mark = since();
		const result = await run(triggerAndWait('c_products01'), { token: wrong });

		expect(result.error?.message).toContain('(401)');
		expect(leaks(result, mark, [...ALL_SECRETS, wrong])).toEqual([]);
	});

	/**
	 * An API (or a proxy in front of it) that echoes what it was sent: every request carries the
	 * token (header); only the trigger carries the delivery credentials. The node must not repeat them.
	 */
	const echoAll = `${TOKEN} is not allowed with deliver=${SECRETS.s3}`;
	const echoToken = `${TOKEN} is not allowed`;
	// [name, parameters, with the S3 delivery, fault]
	const echoCases: Array<[string, INodeParameters, boolean, Fault]> = [
		['422 on the trigger', triggerAndWait('c_products01'), true, { path: '/dca/trigger', kind: 'status', status: 422, body: { error: echoAll } }],
		['500 on every dataset poll', triggerAndWait('c_products01'), true, { path: '/dca/dataset', kind: 'status', status: 500, body: echoToken, times: Infinity }],
		['200 without collection_id on the trigger', triggerAndWait('c_products01'), true, { path: '/dca/trigger', kind: 'malformed', body: JSON.stringify({ message: echoAll }) }],
		['200 with an unreadable dataset', triggerAndWait('c_products01'), true, { path: '/dca/dataset', kind: 'malformed', body: echoToken, contentType: 'text/plain', times: Infinity }],
		['200 non-JSON on Get Job', { resource: 'job', operation: 'get', snapshotId: 'j_abc' }, false, { path: /^\/dca\/log\//, kind: 'malformed', body: echoToken, contentType: 'text/html' }],
		['200 without collection_id on Rerun', { resource: 'job', operation: 'rerun', snapshotId: 'j_abc' }, false, { path: /\/rerun$/, kind: 'malformed', body: JSON.stringify({ error: echoToken }) }],
		['200 without response_id on Run Real-time', { operation: 'runRealtime', collector: collectorId('c_realtime03') }, false, { path: '/dca/trigger_immediate', kind: 'malformed', body: JSON.stringify({ error: echoToken }) }],
	];

	test.each(echoCases)('an answer that echoes the secrets (%s) is redacted in the error', async (_name, parameters, withS3, fault) => {
		api().injectFault(fault);
		const mark = since();
		const result = withS3 ? await delivering('s3', { continueOnFail: false }, parameters) : await run(parameters, { continueOnFail: false });

		expect(result.status).toBe('error');
		expect(leaks(result, mark)).toEqual([]);
	});

	test('network failures and Stop: nothing in errors or logs', async () => {
		api().injectFault({ path: '/dca/trigger', kind: 'drop', after: true });
		const mark = since();
		const dropped = await delivering('sftp');
		expect(dropped.error?.message).toMatch(/may have reached/);
		expect(leaks(dropped, mark)).toEqual([]);

		// A hung poll, Stop, and a cancel request that fails (and is logged as a warning).
		api().injectFault({ path: '/dca/dataset', kind: 'hang', times: Infinity });
		api().injectFault({ path: /\/cancel$/, kind: 'status', status: 500, body: echoToken, times: Infinity });
		const mark2 = since();
		const stopped = await delivering(
			'azure',
			{ cancelWhen: () => mark2.requests().requests.some(({ path }) => path === '/dca/dataset') },
			triggerAndWait('c_stuck05', { options: { cancelOnStop: true } }),
		);
		expect(stopped.status).toBe('canceled');
		expect(logs.records.slice(mark2.logs).some(({ level, message }) => level === 'warn' && String(message).includes('Could not cancel'))).toBe(true);
		expect(leaks(stopped, mark2)).toEqual([]);
	});

	test('when a run with delivery credentials fails, n8n\'s debug log of the error does not show them (error.node.parameters)', async () => {
		// n8n attaches the node, parameters included, to every node error, and WorkflowExecute logs the
		// error at debug level. A credential is not a node parameter: only its ID and name go along.
		api().injectFault({ path: '/dca/trigger', kind: 'status', status: 422, body: { error: 'Unexpected field' } });
		const before = logs.records.length;
		const result = await delivering('sftp');

		expect(result.status).toBe('error');
		const logged = logText(logs.records.slice(before));
		expect(logged).toContain('Unexpected field');
		expect(logged.includes(SECRETS.sftp) ? 'the SFTP password is in the debug log' : 'not logged').toBe('not logged');
	});

});

describe('delivery credentials: an echo of their secret is redacted', () => {
	test.each(KINDS)('%s: an API that echoes the secret in a 422 gets it redacted, in the error and in n8n\'s debug log', async (kind) => {
		const echoed = SECRETS[kind].split('\n').find((line) => line.length > 40) ?? SECRETS[kind];
		api().injectFault({ path: '/dca/trigger', kind: 'status', status: 422, body: { error: `Invalid deliver: ${echoed}` } });
		const mark = since();
		const result = await delivering(kind);

		expect(result.status).toBe('error');
		expect(result.error?.description ?? result.error?.message).toContain('[redacted]');
		expect(leaks(result, mark)).toEqual([]);
		// With the node's parameters this time: a credential is not a parameter, so nothing to blank out.
		const logged = logText(logs.records.slice(mark.logs));
		expect(ALL_SECRETS.filter((secret) => needles(secret).some((needle) => logged.includes(needle)))).toEqual([]);
	});
});

describe('the Base URL must be https unless it is loopback, checked before any request', () => {
	const attempted: string[] = [];
	const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;
	/** nock reports every request it sees; keep those to a host that is not loopback. */
	const record = (req: { host?: string; hostname?: string; path?: string; href?: string }) => {
		const url = String(req.href ?? `http://${req.host ?? req.hostname}${req.path ?? ''}`);
		const host = /^[a-z]+:\/\/([^/]+)/i.exec(url)?.[1] ?? '';
		if (!LOOPBACK.test(host)) attempted.push(url);
	};
	beforeAll(() => {
		// Any request to a non-loopback host is refused and recorded; the emulator stays reachable.
		nock.disableNetConnect();
		nock.enableNetConnect(LOOPBACK);
		nock.emitter.on('no match', record);
	});
	afterAll(() => {
		nock.emitter.removeListener('no match', record);
		nock.enableNetConnect();
		nock.restore();
	});
	beforeEach(() => (attempted.length = 0));

	test.each([
		'http://example.com',
		'http://api.brightdata.com',
		'HTTP://EXAMPLE.COM:80/dca',
		'http://127.example.com',
		'http://127.0.0.1.nip.io',
		'http://localhost.example.com',
		'http://0.0.0.0:8787',
		'ftp://127.0.0.1',
		'javascript:alert(1)',
	])('%s is refused', async (baseUrl) => {
		const mark = since();
		const result = await runScraper(triggerAndWait('c_products01'), items, { baseUrl, token: TOKEN });

		expect(result.error?.message).toMatch(/Base URL (must use https|.* is not a valid URL)/);
		expect(attempted).toEqual([]);
		expect(mark.requests().requests).toEqual([]);
		expect(leaks(result, mark)).toEqual([]);
	});

	test('loopback over http is accepted (the emulator), with any trailing slash', async () => {
		for (const baseUrl of [api().url, `${api().url}/`, api().url.replace('127.0.0.1', 'localhost')]) {
			const result = await runScraper(triggerAndWait('c_products01'), items, { baseUrl, token: TOKEN });
			expect([baseUrl, result.status]).toEqual([baseUrl, 'success']);
		}
		expect(attempted).toEqual([]);
	});
});
