/** The trigger's webhook() on a fake IWebhookFunctions: body reading, secret, notification without fetching. */
import { gzipSync } from 'node:zlib';

import { NodeOperationError, type ICredentialTestFunctions, type INodeProperties } from 'n8n-workflow';

import { BrightDataScraperStudioTrigger } from '../../nodes/BrightDataScraperStudioTrigger/BrightDataScraperStudioTrigger.node';
import { runWebhook, type FakeRequestOptions } from './n8nHost';

const rows = [
	{ input: { url: 'https://example.com/1' }, title: 'One', price: 10 },
	{ input: { url: 'https://example.com/404' }, error: 'Page not found', error_code: 'dead_page' },
	{ input: { url: 'https://example.com/2' }, title: 'Two', price: 20 },
];
const ndjson = rows.map((row) => JSON.stringify(row)).join('\n');

describe('description', () => {
	const { description, webhookMethods } = new BrightDataScraperStudioTrigger();

	test('is a webhook trigger that n8n answers on receipt', () => {
		expect(description).toMatchObject({
			name: 'brightDataScraperStudioTrigger',
			displayName: 'Bright Data Scraper Studio Trigger',
			group: ['trigger'],
			version: 1,
			inputs: [],
			outputs: ['main'],
			webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		});
	});

	test('needs the API credential only to fetch rows, and the secret credential only with Header Auth', () => {
		expect(description.credentials).toEqual([
			{ name: 'brightDataScraperStudioApi', required: true, displayOptions: { show: { event: ['jobFinished'], fetchRows: [true] } } },
			{
				name: 'brightDataScraperStudioTriggerSecretApi',
				required: true,
				testedBy: 'brightDataScraperStudioTriggerSecretTest',
				displayOptions: { show: { authentication: ['headerAuth'] } },
			},
		]);
	});

	test('no parameter holds a secret: no password field, nothing named like a secret', () => {
		const names = (properties: INodeProperties[]): INodeProperties[] =>
			properties.flatMap((property) => [property, ...names((property.options ?? []).filter((option): option is INodeProperties => 'type' in option))]);
		for (const property of names(description.properties)) {
			expect(property.typeOptions?.password).toBeUndefined();
			expect(property.name).not.toMatch(/secret|token|password|header/i);
		}
	});

	test('has nothing to register at Bright Data', async () => {
		expect(await webhookMethods.default.checkExists()).toBe(true);
		expect(await webhookMethods.default.create()).toBe(true);
		expect(await webhookMethods.default.delete()).toBe(true);
	});
});

describe('Rows Delivered', () => {
	test('a JSON array n8n already parsed: one item per row, n8n answers', async () => {
		const { result, rows: output, response } = await runWebhook({ body: rows, headers: { 'content-type': 'application/json' } });
		expect(output).toEqual(rows);
		expect(result.noWebhookResponse).toBeUndefined();
		expect(response.statusCode).toBeUndefined();
	});

	test('NDJSON n8n did not parse (application/x-ndjson): read from the raw body', async () => {
		const { rows: output } = await runWebhook({ raw: Buffer.from(ndjson), headers: { 'content-type': 'application/x-ndjson' } });
		expect(output).toEqual(rows);
	});

	test('gzip with Content-Encoding, as n8n hands it over (already gunzipped) and as sent (still compressed)', async () => {
		const headers = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
		expect((await runWebhook({ body: rows, raw: Buffer.from(JSON.stringify(rows)), headers })).rows).toEqual(rows);
		expect((await runWebhook({ body: {}, raw: gzipSync(JSON.stringify(rows)), headers })).rows).toEqual(rows);
	});

	test('gzip without Content-Encoding (recognised by the magic bytes), JSON and NDJSON', async () => {
		const headers = { 'content-type': 'application/octet-stream' };
		expect((await runWebhook({ raw: gzipSync(JSON.stringify(rows)), headers })).rows).toEqual(rows);
		expect((await runWebhook({ raw: gzipSync(ndjson), headers })).rows).toEqual(rows);
	});

	test('a leading UTF-8 byte-order mark: raw JSON and NDJSON, gzipped, and text n8n parsed', async () => {
		const headers = { 'content-type': 'application/octet-stream' };
		for (const text of [JSON.stringify(rows), ndjson]) {
			expect((await runWebhook({ raw: Buffer.from(`\uFEFF${text}`), headers })).rows).toEqual(rows);
			expect((await runWebhook({ raw: gzipSync(`\uFEFF${text}`), headers })).rows).toEqual(rows);
			expect((await runWebhook({ body: `\uFEFF${text}`, headers: { 'content-type': 'text/plain' } })).rows).toEqual(rows);
		}
	});

	test('reads the raw body itself when n8n has not (req.readRawBody)', async () => {
		const run = await runWebhook({ lateRaw: gzipSync(ndjson), headers: { 'content-type': 'application/gzip' } });
		expect(run.readRawBodyCalls()).toBe(1);
		expect(run.rows).toEqual(rows);
	});

	test('Failed Inputs: Drop Them leaves rows with error / error_code out', async () => {
		const { rows: output } = await runWebhook({ body: rows, parameters: { options: { failedRows: 'drop' } } });
		expect(output.map(({ title }) => title)).toEqual(['One', 'Two']);
	});

	test('Add Metadata: _brightdata with the event, received_at and ?snapshot_id= when given', async () => {
		const { rows: output } = await runWebhook({
			body: rows.slice(0, 1),
			query: { snapshot_id: 'j_from_url' },
			parameters: { options: { addMetadata: true } },
		});
		expect(output).toEqual([
			{ ...rows[0], _brightdata: { event: 'rowsDelivered', snapshot_id: 'j_from_url', received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
		]);
	});

	test('no rows: no execution and a 200 answer by default, or one item with count 0', async () => {
		for (const body of [[], undefined]) {
			const { result } = await runWebhook({ body, raw: Buffer.alloc(0) });
			expect(result).toEqual({ webhookResponse: { received: true, rows: 0 } });
		}
		const dropped = await runWebhook({ body: [rows[1]], parameters: { options: { failedRows: 'drop' } } });
		expect(dropped.result.workflowData).toBeUndefined();

		const { rows: output } = await runWebhook({ body: [], query: { snapshot_id: 'j_1' }, parameters: { options: { onNoRows: 'item' } } });
		expect(output).toEqual([{ count: 0, snapshot_id: 'j_1' }]);
	});

	test('a body that is neither JSON nor NDJSON fails the webhook with a message that says what arrived', async () => {
		const run = runWebhook({ raw: Buffer.from('url,title\nhttps://example.com/1,One'), headers: { 'content-type': 'text/csv' } });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(run).rejects.toMatchObject({
			message: 'Could not read the rows Bright Data delivered',
			description: expect.stringContaining('neither JSON nor NDJSON (it starts with "url,title'),
		});
	});
});

describe('Header Auth (the secret credential)', () => {
	const parameters = { authentication: 'headerAuth' };
	const secret = { secret: 'top-secret' };

	test('missing or wrong: 401 with a short JSON error, and no execution', async () => {
		const attempts: Array<Record<string, string>> = [{}, { 'x-webhook-secret': 'nope' }, { authorization: 'Bearer nope' }];
		for (const headers of attempts) {
			const { result, response } = await runWebhook({ body: rows, headers, parameters, secret });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(response.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="Webhook"' });
			expect(response.json()).toEqual({ error: 'Unauthorized', message: 'Missing or wrong webhook secret' });
		}
	});

	test('checked before the body is read', async () => {
		const { result, readRawBodyCalls } = await runWebhook({ lateRaw: Buffer.from(ndjson), parameters, secret });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(readRawBodyCalls()).toBe(0);
	});

	test('in X-Webhook-Secret, in the credential\'s header, or as a Bearer token: the workflow starts', async () => {
		const accepted: FakeRequestOptions[] = [
			{ headers: { 'X-Webhook-Secret': 'top-secret' }, secret },
			{ headers: { Authorization: 'Bearer top-secret' }, secret },
			{ headers: { 'X-BD-Key': 'top-secret' }, secret: { ...secret, headerName: 'x-bd-key' } },
		];
		for (const request of accepted) {
			const { rows: output, response } = await runWebhook({ body: rows, parameters, ...request });
			expect(output).toEqual(rows);
			expect(response.statusCode).toBeUndefined();
		}
	});

	test('whitespace around the secret in the credential does not count', async () => {
		const { rows: output } = await runWebhook({ body: rows, headers: { 'x-webhook-secret': 'top-secret' }, parameters, secret: { secret: ' top-secret ' } });
		expect(output).toEqual(rows);
	});

	test('a credential that cannot match (empty secret, bad header name) fails the webhook instead of letting anyone in', async () => {
		for (const bad of [{ secret: ' ' }, { secret: 'top-secret', headerName: 'bad header' }]) {
			const run = runWebhook({ body: rows, headers: { 'x-webhook-secret': 'top-secret' }, parameters, secret: bad });
			await expect(run).rejects.toThrow(/secret credential is not usable/);
		}
	});

	test('None (the default) lets every request in', async () => {
		const { rows: output } = await runWebhook({ body: rows, secret });
		expect(output).toEqual(rows);
	});

	test('the credential\'s Test button checks the fields offline', async () => {
		const testCredential = new BrightDataScraperStudioTrigger().methods.credentialTest.brightDataScraperStudioTriggerSecretTest;
		const run = async (data: Record<string, string>) =>
			await testCredential.call({} as ICredentialTestFunctions, { id: '1', name: 'secret', type: 'brightDataScraperStudioTriggerSecretApi', data });
		expect(await run({ secret: 'top-secret', headerName: 'X-Webhook-Secret' })).toMatchObject({ status: 'OK' });
		expect(await run({ secret: '', headerName: 'x y' })).toEqual({
			status: 'Error',
			message: 'Secret is empty; Header Name is not a valid HTTP header name',
		});
	});
});

describe('Job Finished without Fetch Rows', () => {
	const parameters = { event: 'jobFinished', fetchRows: false };

	test('outputs the notification, with snapshot_id added', async () => {
		const notification = { collection_id: 'j_abc', status: 'done' };
		const { rows: output, response } = await runWebhook({ body: notification, parameters });
		expect(output).toEqual([{ collection_id: 'j_abc', status: 'done', snapshot_id: 'j_abc' }]);
		expect(response.statusCode).toBeUndefined();
	});

	test('an unknown shape is output as it came, NDJSON or text included', async () => {
		expect((await runWebhook({ body: { state: 'ok' }, parameters })).rows).toEqual([{ state: 'ok' }]);
		expect((await runWebhook({ raw: Buffer.from('job done'), headers: { 'content-type': 'text/plain' }, parameters })).rows).toEqual([
			{ body: 'job done' },
		]);
		expect((await runWebhook({ raw: Buffer.alloc(0), query: { snapshot_id: 'j_q' }, parameters })).rows).toEqual([{ snapshot_id: 'j_q' }]);
	});
});

describe('Job Finished with Fetch Rows, without a snapshot ID', () => {
	test('fails before answering, and names what it looked for', async () => {
		const run = runWebhook({ body: { status: 'done', count: 3 }, parameters: { event: 'jobFinished' } });
		await expect(run).rejects.toMatchObject({
			message: 'The notification names no snapshot ID, so the node cannot fetch its rows',
			description: expect.stringContaining('collection_id, snapshot_id, id, job_id in the body (its fields: status, count)'),
		});
	});
});
