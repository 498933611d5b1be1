import { deflateSync, gzipSync } from 'node:zlib';

import {
	DEFAULT_LIMITS,
	notificationFromBody,
	parseBodyText,
	readRequestBody,
	refusalOf,
	rowsFromBody,
} from '../../nodes/BrightDataScraperStudioTrigger/request/body';
import { decodeBody as decodeWithin, isGzip } from '../../nodes/BrightDataScraperStudioTrigger/request/decode';

/** Within the trigger node's default Max Body Size. */
const decodeBody = (bytes: Uint8Array, contentEncoding?: string, limit = DEFAULT_LIMITS.maxBytes) => decodeWithin(bytes, contentEncoding, limit);

const rows = [
	{ input: { url: 'https://example.com/1' }, title: 'One', price: 10 },
	{ input: { url: 'https://example.com/404' }, error: 'Page not found', error_code: 'dead_page' },
];
const json = JSON.stringify(rows);
const ndjson = `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;

describe('decodeBody', () => {
	test('plain bytes are UTF-8 text, without a byte-order mark', async () => {
		expect(await decodeBody(Buffer.from('\uFEFF[{"name":"Zoë"}]', 'utf8'))).toEqual({ text: '[{"name":"Zoë"}]' });
	});

	test('gzip is recognised by its magic bytes, with or without Content-Encoding', async () => {
		const gzipped = gzipSync(json);
		expect(isGzip(gzipped)).toBe(true);
		expect(await decodeBody(gzipped)).toEqual({ text: json });
		expect(await decodeBody(gzipped, 'gzip')).toEqual({ text: json });
	});

	test('a body n8n already gunzipped (header still says gzip) is read as is', async () => {
		expect(await decodeBody(Buffer.from(json), 'gzip')).toEqual({ text: json });
	});

	test('deflate is inflated only when Content-Encoding announces it', async () => {
		const deflated = deflateSync(json);
		expect(await decodeBody(deflated, 'deflate')).toEqual({ text: json });
		expect(await decodeBody(Buffer.from(json), 'deflate')).toEqual({ text: json });
	});

	test('a broken gzip body is reported, not thrown', async () => {
		const truncated = gzipSync(json).subarray(0, 20);
		const result = await decodeBody(truncated);
		expect(result).toEqual({ invalid: expect.stringContaining('looks gzip-compressed but could not be decompressed') });
	});

	test('a body that decompresses beyond the limit is refused', async () => {
		const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20));
		expect(bomb.length).toBeLessThan(10_000);
		expect(await decodeBody(bomb, undefined, 1024 * 1024)).toEqual({ tooLarge: 1024 * 1024 });
	});
});

describe('parseBodyText', () => {
	test('JSON array, JSON object, NDJSON (also with CRLF), empty', () => {
		expect(parseBodyText(json)).toEqual({ kind: 'json', value: rows });
		expect(parseBodyText('{"a":1}')).toEqual({ kind: 'json', value: { a: 1 } });
		expect(parseBodyText(ndjson)).toEqual({ kind: 'ndjson', rows });
		expect(parseBodyText(ndjson.replace(/\n/g, '\r\n'))).toEqual({ kind: 'ndjson', rows });
		expect(parseBodyText('  \n ')).toEqual({ kind: 'empty' });
	});

	test('CSV (or anything else) is invalid, with the start of the body in the reason', () => {
		const result = parseBodyText('url,title\nhttps://example.com/1,One');
		expect(result).toEqual({
			kind: 'invalid',
			reason: 'the body is neither JSON nor NDJSON (it starts with "url,title\\nhttps://example.com/1,One")',
			text: 'url,title\nhttps://example.com/1,One',
		});
	});
});

describe('readRequestBody', () => {
	test('uses what n8n parsed when it is a JSON array or a non-empty object', async () => {
		expect(await readRequestBody({ parsed: rows, raw: Buffer.from('ignored') })).toEqual({ kind: 'json', value: rows });
		expect(await readRequestBody({ parsed: { collection_id: 'j_1' } })).toEqual({ kind: 'json', value: { collection_id: 'j_1' } });
	});

	test('falls back to the raw bytes: NDJSON, gzip without a header', async () => {
		expect(await readRequestBody({ parsed: undefined, raw: Buffer.from(ndjson) })).toEqual({ kind: 'ndjson', rows });
		expect(await readRequestBody({ parsed: {}, raw: gzipSync(ndjson) })).toEqual({ kind: 'ndjson', rows });
		expect(await readRequestBody({ parsed: {}, raw: gzipSync(json), contentEncoding: 'gzip' })).toEqual({ kind: 'json', value: rows });
	});

	test('a text body n8n parsed (text/plain) is parsed when there are no raw bytes', async () => {
		expect(await readRequestBody({ parsed: ndjson })).toEqual({ kind: 'ndjson', rows });
	});

	test('nothing at all is empty', async () => {
		expect(await readRequestBody({ parsed: undefined })).toEqual({ kind: 'empty' });
		expect(await readRequestBody({ parsed: {}, raw: Buffer.alloc(0) })).toEqual({ kind: 'empty' });
	});
});

describe('rowsFromBody', () => {
	test('array, object, NDJSON, null and empty', () => {
		expect(rowsFromBody({ kind: 'json', value: rows })).toEqual({ rows });
		expect(rowsFromBody({ kind: 'json', value: rows[0] })).toEqual({ rows: [rows[0]] });
		expect(rowsFromBody({ kind: 'ndjson', rows })).toEqual({ rows });
		expect(rowsFromBody({ kind: 'json', value: null })).toEqual({ rows: [] });
		expect(rowsFromBody({ kind: 'empty' })).toEqual({ rows: [] });
	});

	test('array values that are not objects are kept as { value }', () => {
		expect(rowsFromBody({ kind: 'json', value: [1, 'two', { three: 3 }] })).toEqual({ rows: [{ value: 1 }, { value: 'two' }, { three: 3 }] });
	});

	test('a lone primitive or an unreadable body is invalid', () => {
		expect(rowsFromBody({ kind: 'json', value: 42 })).toEqual({ invalid: 'the body is a single JSON number, not rows' });
		expect(rowsFromBody({ kind: 'invalid', reason: 'bad' })).toEqual({ invalid: 'bad' });
	});
});

describe('notificationFromBody', () => {
	test('an object as is; a one-element array or one-line NDJSON as its object; empty as {}', () => {
		const notification = { collection_id: 'j_1', status: 'done' };
		expect(notificationFromBody({ kind: 'json', value: notification })).toBe(notification);
		expect(notificationFromBody({ kind: 'json', value: [notification] })).toBe(notification);
		expect(notificationFromBody({ kind: 'ndjson', rows: [notification] })).toBe(notification);
		expect(notificationFromBody({ kind: 'empty' })).toEqual({});
	});

	test('anything else is kept under body', () => {
		expect(notificationFromBody({ kind: 'json', value: 'done' })).toEqual({ body: 'done' });
		expect(notificationFromBody({ kind: 'json', value: [1, 2] })).toEqual({ body: [1, 2] });
		expect(notificationFromBody({ kind: 'invalid', reason: 'why', text: 'job done' })).toEqual({ body: 'job done' });
		expect(notificationFromBody({ kind: 'invalid', reason: 'why' })).toEqual({ body: 'why' });
	});
});

describe('limits: bytes as received and once decompressed, rows, form fields', () => {
	const limits = { maxBytes: 1024, maxRows: 2 };

	test('a body larger than Max Body Size is refused as received, before any parsing', async () => {
		const big = Buffer.from(JSON.stringify([{ text: 'x'.repeat(2000) }]));
		expect(await readRequestBody({ parsed: JSON.parse(big.toString()), raw: big }, limits)).toEqual({ kind: 'tooLarge', limitBytes: 1024, decompressed: false });
		expect(await readRequestBody({ parsed: big.toString() }, limits)).toMatchObject({ kind: 'tooLarge' });
	});

	test('a gzip body is inflated only up to Max Body Size', async () => {
		const bomb = gzipSync(Buffer.alloc(64 * 1024, 0x20));
		expect(bomb.length).toBeLessThan(1024);
		const content = await readRequestBody({ parsed: {}, raw: bomb }, limits);
		expect(content).toEqual({ kind: 'tooLarge', limitBytes: 1024, decompressed: true });
		expect(refusalOf(content)).toEqual({
			status: 413,
			error: 'Payload Too Large',
			message: 'The body is larger than 1 KB once decompressed, the limit set in the trigger node\'s "Max Body Size (MB)" option. Nothing was started.',
		});
	});

	test('more rows than Max Rows are refused (JSON array, NDJSON stops reading at one past the limit)', async () => {
		const three = [{ a: 1 }, { a: 2 }, { a: 3 }];
		expect(rowsFromBody({ kind: 'json', value: three }, 2)).toEqual({ refused: expect.objectContaining({ status: 413, message: expect.stringContaining('more than 2 rows, the limit set in the trigger node\'s "Max Rows" option') }) });
		const ndjson = await readRequestBody({ parsed: undefined, raw: Buffer.from(`${three.map((row) => JSON.stringify(row)).join('\n')}\n{"a":4}`) }, limits);
		expect(ndjson).toEqual({ kind: 'ndjson', rows: three });
		expect(rowsFromBody(ndjson, 2)).toMatchObject({ refused: { status: 413 } });
		expect(rowsFromBody({ kind: 'json', value: three.slice(0, 2) }, 2)).toEqual({ rows: three.slice(0, 2) });
	});

	test('form-encoded: JSON sent as the whole body or as the only field is read; other fields are refused as rows', async () => {
		const form = 'application/x-www-form-urlencoded';
		// curl -d '[…]': n8n made the JSON text a field name.
		expect(await readRequestBody({ parsed: { [json]: '' }, raw: Buffer.from(json), contentType: form })).toEqual({ kind: 'json', value: rows });
		expect(await readRequestBody({ parsed: { rows: json }, raw: Buffer.from(`rows=${encodeURIComponent(json)}`), contentType: form })).toEqual({ kind: 'json', value: rows });
		expect(await readRequestBody({ parsed: { data: ndjson }, raw: Buffer.from(`data=${encodeURIComponent(ndjson)}`), contentType: form })).toEqual({ kind: 'ndjson', rows });
		const fields = await readRequestBody({ parsed: { a: '1', b: '2' }, raw: Buffer.from('a=1&b=2'), contentType: form });
		expect(fields).toEqual({ kind: 'form', fields: { a: '1', b: '2' } });
		expect(rowsFromBody(fields)).toEqual({ refused: expect.objectContaining({ status: 415, error: 'Unsupported Media Type' }) });
		expect(notificationFromBody(fields)).toEqual({ a: '1', b: '2' });
		expect(rowsFromBody(await readRequestBody({ parsed: { title: 'not json' }, raw: Buffer.from('title=not+json'), contentType: form }))).toMatchObject({ refused: { status: 415 } });
	});
});
