/**
 * The emulator's own deliver / notify webhooks hit a real HTTP server that runs the trigger as
 * n8n would (n8n-core's WebhookContext, n8n's body pre-parsing): Bright Data → n8n → rows.
 */
import { gzipSync } from 'node:zlib';

import { trigger } from '../emulator/client';
import { useEmulator } from '../harness/emulator';
import { startN8nHost, type N8nHost } from './n8nHost';

// 1 s = 100 ms: the trigger node's 30 s wait for a pending snapshot is 3 s, room for its requests on a busy machine.
const emulated = useEmulator({ timeScale: 10 });
const inputs = [{ url: 'https://example.com/product/1' }, { url: 'https://example.com/product/2' }, { url: 'https://example.com/blocked' }];

let host: N8nHost | undefined;
afterEach(async () => {
	await host?.close();
	host = undefined;
});

const deliveriesOf = (id: string) => emulated.current().deliveries.filter(({ snapshotId }) => snapshotId === id);
const itemsOf = (index: number) => (host!.handled[index].result?.workflowData?.[0] ?? []).map(({ json }) => json);

test('Rows Delivered: the emulator POSTs the rows gzipped (Content-Encoding: gzip), one item per row', async () => {
	const emulator = emulated.current();
	host = await startN8nHost({ event: 'rowsDelivered' });
	const id = await trigger(emulator, 'c_products01', inputs, { deliver: JSON.stringify({ type: 'webhook', endpoint: host.url }) });
	emulator.finish(id);
	await emulator.deliveriesSettled();
	await host.settled();

	expect(deliveriesOf(id)).toEqual([expect.objectContaining({ kind: 'deliver', snapshotId: id, outcome: 'sent', status: 200 })]);
	expect(host.handled).toEqual([expect.objectContaining({ outcome: 'started', status: 200 })]);
	expect(itemsOf(0)).toEqual(emulator.job(id)!.rows);
	expect(itemsOf(0)).toHaveLength(3);
});

test('Job Finished: the notify call is answered at once, then the rows are fetched with the credential', async () => {
	const emulator = emulated.current();
	host = await startN8nHost({ event: 'jobFinished', options: { failedRows: 'drop' } }, { apiToken: emulator.token, baseUrl: emulator.url });
	const id = await trigger(emulator, 'c_products01', inputs, { notify: JSON.stringify({ type: 'webhook', endpoint: host.url }) });
	emulator.finish(id);
	await emulator.deliveriesSettled();
	await host.settled();

	expect(deliveriesOf(id)).toEqual([expect.objectContaining({ kind: 'notify', snapshotId: id, outcome: 'sent', status: 200 })]);
	expect(host.handled).toEqual([expect.objectContaining({ outcome: 'started', status: 200 })]);
	expect(itemsOf(0)).toEqual(emulator.job(id)!.rows.filter((row) => !row.error));
	expect(itemsOf(0)).toHaveLength(2);
	expect(emulator.requests.filter(({ path, query }) => path === '/dca/dataset' && query.id === id)).toHaveLength(1);
});

test('deliver and notify together: the rows arrive once by delivery; the notification is output as is', async () => {
	const emulator = emulated.current();
	const rowsHost = await startN8nHost({ event: 'rowsDelivered' });
	host = await startN8nHost({ event: 'jobFinished', fetchRows: false });
	try {
		const id = await trigger(emulator, 'c_products01', inputs, {
			deliver: JSON.stringify({ type: 'webhook', endpoint: rowsHost.url }),
			notify: JSON.stringify({ type: 'webhook', endpoint: host.url }),
		});
		emulator.finish(id);
		await emulator.deliveriesSettled();
		await Promise.all([rowsHost.settled(), host.settled()]);

		expect(deliveriesOf(id).map(({ kind }) => kind)).toEqual(['deliver', 'notify']);
		expect(rowsHost.handled[0].result?.workflowData?.[0]).toHaveLength(3);
		expect(itemsOf(0)).toEqual([{ collection_id: id, snapshot_id: id, status: 'done' }]);
	} finally {
		await rowsHost.close();
	}
});

describe('requests n8n hands to the node', () => {
	const post = async (body: string | Buffer, headers: Record<string, string>) => {
		const response = await fetch(host!.url, { method: 'POST', body, headers });
		const text = await response.text();
		await host!.settled();
		return { status: response.status, text };
	};

	test('NDJSON as application/x-ndjson, and gzip without Content-Encoding', async () => {
		host = await startN8nHost({ event: 'rowsDelivered' });
		const ndjson = '{"a":1}\n{"a":2}\n';
		expect(await post(ndjson, { 'Content-Type': 'application/x-ndjson' })).toEqual({ status: 200, text: '{"message":"Workflow was started"}' });
		expect(await post(gzipSync(ndjson), { 'Content-Type': 'application/octet-stream' })).toMatchObject({ status: 200 });
		expect([itemsOf(0), itemsOf(1)]).toEqual([[{ a: 1 }, { a: 2 }], [{ a: 1 }, { a: 2 }]]);
	});

	test('Header Auth: 401 without the credential\'s secret (nothing runs), 200 with it', async () => {
		host = await startN8nHost({ event: 'rowsDelivered', authentication: 'headerAuth' }, undefined, { secret: 'let-me-in' });
		const rejected = await post('[{"a":1}]', { 'Content-Type': 'application/json' });
		expect(rejected).toEqual({ status: 401, text: '{"error":"Unauthorized","message":"Missing or wrong webhook secret"}' });
		const accepted = await post('[{"a":1}]', { 'Content-Type': 'application/json', Authorization: 'Bearer let-me-in' });
		expect(accepted.status).toBe(200);
		expect(host.handled.map(({ outcome }) => outcome)).toEqual(['answered', 'started']);
	});

	test('an unreadable body fails the webhook: 500, and n8n records the error', async () => {
		host = await startN8nHost({ event: 'rowsDelivered' });
		expect(await post('a,b\n1,2', { 'Content-Type': 'text/csv' })).toMatchObject({ status: 500 });
		expect(host.handled[0]).toMatchObject({ outcome: 'failed', error: { message: 'Could not read the rows Bright Data delivered' } });
	});

	const refusedWith = (status: number) => ({ status, text: expect.stringContaining('Nothing was started.') });

	test('a gzip body without Content-Encoding that inflates past Max Body Size: 413 naming the option, nothing runs', async () => {
		host = await startN8nHost({ event: 'rowsDelivered' });
		// 32 MB of rows in about 100 KB (with the earlier 256 MB cap this was inflated and parsed in full).
		const row = `{"title":"${'x'.repeat(200)}","price":1},`;
		const bomb = gzipSync(`[${row.repeat(Math.ceil((32 * 1024 * 1024) / row.length))}{"end":true}]`);
		expect(bomb.length).toBeLessThan(200_000);
		const answer = await post(bomb, { 'Content-Type': 'application/octet-stream' });
		expect(answer).toEqual(refusedWith(413));
		expect(JSON.parse(answer.text)).toEqual({
			error: 'Payload Too Large',
			message: 'The body is larger than 16 MB once decompressed, the limit set in the trigger node\'s "Max Body Size (MB)" option. Nothing was started.',
		});
		expect(host.handled).toEqual([expect.objectContaining({ outcome: 'answered', status: 413 })]);
	});

	test('Max Body Size applies to the body as received, and can be raised', async () => {
		host = await startN8nHost({ event: 'rowsDelivered', options: { maxBodyMb: 1 } });
		const body = JSON.stringify([{ text: 'x'.repeat(1024 * 1024) }]);
		expect(await post(body, { 'Content-Type': 'application/json' })).toMatchObject({ status: 413, text: expect.stringContaining('larger than 1 MB, the limit') });
		await host.close();
		host = await startN8nHost({ event: 'rowsDelivered', options: { maxBodyMb: 2 } });
		expect(await post(body, { 'Content-Type': 'application/json' })).toMatchObject({ status: 200 });
		expect(itemsOf(0)).toHaveLength(1);
	});

	test('more rows than Max Rows: 413 naming the option (JSON and NDJSON), nothing runs; at the limit the rows start the workflow', async () => {
		host = await startN8nHost({ event: 'rowsDelivered', options: { maxRows: 3 } });
		const rows = (count: number) => Array.from({ length: count }, (_, index) => ({ index }));
		const tooMany = await post(JSON.stringify(rows(4)), { 'Content-Type': 'application/json' });
		expect(tooMany).toEqual(refusedWith(413));
		expect(tooMany.text).toContain('more than 3 rows, the limit set in the trigger node\'s \\"Max Rows\\" option');
		const ndjson = rows(5).map((row) => JSON.stringify(row)).join('\n');
		expect(await post(gzipSync(ndjson), { 'Content-Type': 'application/x-ndjson' })).toEqual(refusedWith(413));
		expect(await post(JSON.stringify(rows(3)), { 'Content-Type': 'application/json' })).toMatchObject({ status: 200 });
		expect(host.handled.map(({ outcome }) => outcome)).toEqual(['answered', 'answered', 'started']);
		expect(itemsOf(2)).toEqual(rows(3));
	});

	test('form-encoded bodies: JSON as the whole body (curl -d) or as the one field is read; other fields get 415', async () => {
		host = await startN8nHost({ event: 'rowsDelivered' });
		const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
		const json = '[{"a":1,"q":"x&y=z"},{"a":2}]';
		expect(await post(json, form)).toMatchObject({ status: 200 });
		expect(await post(`rows=${encodeURIComponent(json)}`, form)).toMatchObject({ status: 200 });
		const fields = await post('title=Lamp&price=3', form);
		expect(fields).toEqual(refusedWith(415));
		expect(JSON.parse(fields.text).error).toBe('Unsupported Media Type');
		expect(host.handled.map(({ outcome }) => outcome)).toEqual(['started', 'started', 'answered']);
		expect([itemsOf(0), itemsOf(1)]).toEqual([JSON.parse(json), JSON.parse(json)]);
	});

	test('Job Finished: a form-encoded notification is output as its fields', async () => {
		host = await startN8nHost({ event: 'jobFinished', fetchRows: false });
		expect(await post('snapshot_id=j_form1&status=done', { 'Content-Type': 'application/x-www-form-urlencoded' })).toMatchObject({ status: 200 });
		expect(itemsOf(0)).toEqual([{ snapshot_id: 'j_form1', status: 'done' }]);
	});
});
