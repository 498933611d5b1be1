/** Reading the request body, through the trigger's webhook() answer: decoding, parsing, rows, notifications, limits. */
import { deflateSync, gzipSync } from 'node:zlib';

import { runWebhook, type FakeRequestOptions } from './n8nHost';

const rows = [
	{ input: { url: 'https://example.com/1' }, title: 'One', price: 10 },
	{ input: { url: 'https://example.com/404' }, error: 'Page not found', error_code: 'dead_page' },
];
const json = JSON.stringify(rows);
const ndjson = `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
const octet = { 'content-type': 'application/octet-stream' };
const NO_ROWS = { webhookResponse: { received: true, rows: 0 } };

/** Rows Delivered: the items' JSON. */
const delivered = async (request: FakeRequestOptions) => (await runWebhook(request)).rows;

/** Job Finished without Fetch Rows: the notification item. */
const notified = async (request: FakeRequestOptions) =>
	(await runWebhook({ ...request, parameters: { event: 'jobFinished', fetchRows: false, ...request.parameters } })).rows;

/** A request the node answered itself and started nothing for: its status and JSON body. */
async function refusal(request: FakeRequestOptions) {
	const { result, response } = await runWebhook(request);
	expect(result).toEqual({ noWebhookResponse: true });
	return { status: response.statusCode, ...(response.json() as object) };
}

const unreadable = (request: FakeRequestOptions, description: unknown) =>
	expect(runWebhook(request)).rejects.toMatchObject({ message: 'Could not read the rows Bright Data delivered', description });

describe('decoding', () => {
	test('plain bytes are UTF-8 text, without a byte-order mark', async () => {
		expect(await delivered({ raw: Buffer.from('\uFEFF[{"name":"Zoë"}]', 'utf8'), headers: octet })).toEqual([{ name: 'Zoë' }]);
	});

	test('gzip is recognised by its magic bytes, with or without Content-Encoding', async () => {
		expect(await delivered({ raw: gzipSync(json), headers: octet })).toEqual(rows);
		expect(await delivered({ raw: gzipSync(json), headers: { ...octet, 'content-encoding': 'gzip' } })).toEqual(rows);
	});

	test('a body n8n already gunzipped (header still says gzip) is read as is', async () => {
		expect(await delivered({ raw: Buffer.from(json), headers: { ...octet, 'content-encoding': 'gzip' } })).toEqual(rows);
	});

	test('deflate is inflated only when Content-Encoding announces it', async () => {
		expect(await delivered({ raw: deflateSync(json), headers: { ...octet, 'content-encoding': 'deflate' } })).toEqual(rows);
		expect(await delivered({ raw: Buffer.from(json), headers: { ...octet, 'content-encoding': 'deflate' } })).toEqual(rows);
		await unreadable({ raw: deflateSync(json), headers: octet }, expect.stringContaining('neither JSON nor NDJSON'));
	});

	test('a broken gzip body is reported: the rows cannot be read, a notification keeps the reason', async () => {
		const truncated = { raw: gzipSync(json).subarray(0, 20), headers: octet };
		const reason = expect.stringContaining('the body looks gzip-compressed but could not be decompressed');
		await unreadable(truncated, reason);
		expect(await notified(truncated)).toEqual([{ body: reason }]);
	});

	test('a body that decompresses beyond Max Body Size is refused', async () => {
		const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
		expect(bomb.length).toBeLessThan(10_000);
		expect(await refusal({ raw: bomb, headers: octet, parameters: { options: { maxBodyMb: 1 } } })).toEqual({
			status: 413,
			error: 'Payload Too Large',
			message: 'The body is larger than 1 MB once decompressed, the limit set in the trigger node\'s "Max Body Size (MB)" option. Nothing was started.',
		});
	});
});

describe('parsing the text', () => {
	test('JSON array, JSON object, NDJSON (also with CRLF), empty', async () => {
		const text = async (body: string) => await runWebhook({ raw: Buffer.from(body), headers: octet });
		expect((await text(json)).rows).toEqual(rows);
		expect((await text('{"a":1}')).rows).toEqual([{ a: 1 }]);
		expect((await text(ndjson)).rows).toEqual(rows);
		expect((await text(ndjson.replace(/\n/g, '\r\n'))).rows).toEqual(rows);
		expect((await text('  \n ')).result).toEqual(NO_ROWS);
	});

	test('CSV (or anything else) is unreadable rows, with the start of the body in the reason; a notification keeps the text', async () => {
		const csv = { raw: Buffer.from('url,title\nhttps://example.com/1,One'), headers: { 'content-type': 'text/csv' } };
		await unreadable(
			csv,
			'the body is neither JSON nor NDJSON (it starts with "url,title\\nhttps://example.com/1,One"). Set the collector\'s delivery format to JSON or NDJSON.',
		);
		expect(await notified(csv)).toEqual([{ body: 'url,title\nhttps://example.com/1,One' }]);
	});
});

describe('what n8n parsed, and the raw bytes', () => {
	test('uses what n8n parsed when it is a JSON array or a non-empty object', async () => {
		expect(await delivered({ body: rows, raw: Buffer.from('ignored') })).toEqual(rows);
		expect(await delivered({ body: { collection_id: 'j_1' } })).toEqual([{ collection_id: 'j_1' }]);
	});

	test('falls back to the raw bytes: NDJSON, gzip without a header', async () => {
		expect(await delivered({ body: undefined, raw: Buffer.from(ndjson) })).toEqual(rows);
		expect(await delivered({ body: {}, raw: gzipSync(ndjson) })).toEqual(rows);
		expect(await delivered({ body: {}, raw: gzipSync(json), headers: { 'content-encoding': 'gzip' } })).toEqual(rows);
	});

	test('a text body n8n parsed (text/plain) is parsed when there are no raw bytes', async () => {
		expect(await delivered({ body: ndjson, headers: { 'content-type': 'text/plain' } })).toEqual(rows);
	});

	test('nothing at all is no rows, and an empty notification', async () => {
		expect((await runWebhook({ body: undefined })).result).toEqual(NO_ROWS);
		expect((await runWebhook({ body: {}, raw: Buffer.alloc(0) })).result).toEqual(NO_ROWS);
		expect(await notified({ body: {}, raw: Buffer.alloc(0) })).toEqual([{}]);
	});
});

describe('Rows Delivered: the rows of a body', () => {
	test('array, object, NDJSON, null and empty', async () => {
		expect(await delivered({ body: rows })).toEqual(rows);
		expect(await delivered({ body: rows[0] })).toEqual([rows[0]]);
		expect(await delivered({ raw: Buffer.from(ndjson), headers: { 'content-type': 'application/x-ndjson' } })).toEqual(rows);
		expect((await runWebhook({ raw: Buffer.from('null'), headers: octet })).result).toEqual(NO_ROWS);
		expect((await runWebhook({ raw: Buffer.alloc(0) })).result).toEqual(NO_ROWS);
	});

	test('array values that are not objects are kept as { value }', async () => {
		expect(await delivered({ body: [1, 'two', { three: 3 }] })).toEqual([{ value: 1 }, { value: 'two' }, { three: 3 }]);
	});

	test('a lone primitive is unreadable rows', async () => {
		await unreadable(
			{ raw: Buffer.from('42'), headers: octet },
			'the body is a single JSON number, not rows. Set the collector\'s delivery format to JSON or NDJSON.',
		);
	});
});

describe('Job Finished: the notification of a body', () => {
	const notification = { collection_id: 'j_1', status: 'done' };

	test('an object as is; a one-element array or one-line NDJSON as its object; empty as {}', async () => {
		const output = [{ ...notification, snapshot_id: 'j_1' }];
		expect(await notified({ body: notification })).toEqual(output);
		expect(await notified({ body: [notification] })).toEqual(output);
		expect(await notified({ raw: Buffer.from(`${JSON.stringify(notification)}\n`), headers: octet })).toEqual(output);
		expect(await notified({ raw: Buffer.alloc(0) })).toEqual([{}]);
	});

	test('anything else is kept under body', async () => {
		expect(await notified({ raw: Buffer.from('"done"'), headers: octet })).toEqual([{ body: 'done' }]);
		expect(await notified({ body: [1, 2] })).toEqual([{ body: [1, 2] }]);
		expect(await notified({ raw: Buffer.from('job done'), headers: { 'content-type': 'text/plain' } })).toEqual([{ body: 'job done' }]);
	});
});

describe('limits: bytes as received and once decompressed, rows, form fields', () => {
	// 1 KB and 2 rows.
	const parameters = { options: { maxBodyMb: 1 / 1024, maxRows: 2 } };
	const tooLarge = (decompressed: string) => ({
		status: 413,
		error: 'Payload Too Large',
		message: `The body is larger than 1 KB${decompressed}, the limit set in the trigger node's "Max Body Size (MB)" option. Nothing was started.`,
	});

	test('a body larger than Max Body Size is refused as received, before any parsing', async () => {
		const big = Buffer.from(JSON.stringify([{ text: 'x'.repeat(2000) }]));
		expect(await refusal({ body: JSON.parse(big.toString()), raw: big, parameters })).toEqual(tooLarge(''));
		expect(await refusal({ body: big.toString(), parameters })).toEqual(tooLarge(''));
	});

	test('a gzip body is inflated only up to Max Body Size', async () => {
		const bomb = gzipSync(Buffer.alloc(64 * 1024, 0x20));
		expect(bomb.length).toBeLessThan(1024);
		expect(await refusal({ body: {}, raw: bomb, parameters })).toEqual(tooLarge(' once decompressed'));
	});

	test('more rows than Max Rows are refused (JSON array, NDJSON); as many are read', async () => {
		const three = [{ a: 1 }, { a: 2 }, { a: 3 }];
		const tooMany = {
			status: 413,
			error: 'Payload Too Large',
			message: 'The body holds more than 2 rows, the limit set in the trigger node\'s "Max Rows" option. Nothing was started.',
		};
		expect(await refusal({ body: three, parameters })).toEqual(tooMany);
		const lines = Buffer.from(`${three.map((row) => JSON.stringify(row)).join('\n')}\n{"a":4}`);
		expect(await refusal({ raw: lines, headers: octet, parameters })).toEqual(tooMany);
		expect(await delivered({ body: three.slice(0, 2), parameters })).toEqual(three.slice(0, 2));
	});

	test('form-encoded: JSON sent as the whole body or as the only field is read; other fields are refused as rows', async () => {
		const headers = { 'content-type': 'application/x-www-form-urlencoded' };
		// curl -d '[…]': n8n made the JSON text a field name.
		expect(await delivered({ body: { [json]: '' }, raw: Buffer.from(json), headers })).toEqual(rows);
		expect(await delivered({ body: { rows: json }, raw: Buffer.from(`rows=${encodeURIComponent(json)}`), headers })).toEqual(rows);
		expect(await delivered({ body: { data: ndjson }, raw: Buffer.from(`data=${encodeURIComponent(ndjson)}`), headers })).toEqual(rows);
		const fields = { body: { a: '1', b: '2' }, raw: Buffer.from('a=1&b=2'), headers };
		expect(await refusal(fields)).toEqual({
			status: 415,
			error: 'Unsupported Media Type',
			message:
				'Form fields are not rows. Send the rows as JSON or NDJSON (Content-Type application/json or application/x-ndjson), or as one form field whose value is JSON. Nothing was started.',
		});
		expect(await notified(fields)).toEqual([{ a: '1', b: '2' }]);
		expect(await refusal({ body: { title: 'not json' }, raw: Buffer.from('title=not+json'), headers })).toMatchObject({ status: 415 });
	});
});
