/** The trigger's webhook() on a fake IWebhookFunctions: body reading, secret, notification without fetching. */
import { gzipSync } from 'node:zlib';

import { NodeOperationError } from 'n8n-workflow';

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

	test('needs the credential only to fetch rows', () => {
		expect(description.credentials).toEqual([
			{ name: 'brightDataScraperStudioApi', required: true, displayOptions: { show: { event: ['jobFinished'], fetchRows: [true] } } },
		]);
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

describe('Shared Secret', () => {
	const parameters = { sharedSecret: 'top-secret' };

	test('missing or wrong: 401 with a short JSON error, and no execution', async () => {
		const attempts: Array<Record<string, string>> = [{}, { 'x-webhook-secret': 'nope' }, { authorization: 'Bearer nope' }];
		for (const headers of attempts) {
			const { result, response } = await runWebhook({ body: rows, headers, parameters });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(response.statusCode).toBe(401);
			expect(response.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="Webhook"' });
			expect(response.json()).toEqual({ error: 'Unauthorized', message: 'Missing or wrong webhook secret' });
		}
	});

	test('checked before the body is read', async () => {
		const { result, readRawBodyCalls } = await runWebhook({ lateRaw: Buffer.from(ndjson), parameters });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(readRawBodyCalls()).toBe(0);
	});

	test('in X-Webhook-Secret, in a configured header, or as a Bearer token: the workflow starts', async () => {
		const accepted: FakeRequestOptions[] = [
			{ headers: { 'X-Webhook-Secret': 'top-secret' }, parameters },
			{ headers: { Authorization: 'Bearer top-secret' }, parameters },
			{ headers: { 'X-BD-Key': 'top-secret' }, parameters: { ...parameters, options: { headerName: 'x-bd-key' } } },
		];
		for (const request of accepted) {
			const { rows: output, response } = await runWebhook({ body: rows, ...request });
			expect(output).toEqual(rows);
			expect(response.statusCode).toBeUndefined();
		}
	});

	test('whitespace around the configured secret does not count', async () => {
		const { rows: output } = await runWebhook({ body: rows, headers: { 'x-webhook-secret': 'top-secret' }, parameters: { sharedSecret: ' top-secret ' } });
		expect(output).toEqual(rows);
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
