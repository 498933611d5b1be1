import type { IDataObject } from 'n8n-workflow';

import { parseNdjson } from '../../BrightDataScraperStudio/helpers/dataset';
import type { Row } from '../../BrightDataScraperStudio/helpers/types';

/**
 * Reading the body of a Bright Data callback. Bright Data documents none of them (API notes §6),
 * so this accepts what a delivery can plausibly be: a JSON document, NDJSON, either one
 * gzip-compressed with or without a `Content-Encoding` header.
 *
 * Decompression uses the web-standard `DecompressionStream` (a Node global since 18):
 * community nodes may not import `node:zlib` (rule `no-restricted-imports`), and the global is
 * not on the `no-restricted-globals` list.
 */

/** A decompressed body larger than this is refused (a small gzip body can expand enormously). */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

export type BodyContent =
	| { kind: 'empty' }
	/** A parsed JSON document: array, object or primitive. */
	| { kind: 'json'; value: unknown }
	/** NDJSON: one object per line. */
	| { kind: 'ndjson'; rows: Row[] }
	/** `text`: the decoded body, when decoding worked but parsing did not. */
	| { kind: 'invalid'; reason: string; text?: string };

/** Decoded text, or why the bytes could not be decoded. */
export type DecodedBody = { text: string } | { invalid: string };

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);

/** gzip's magic bytes: 1f 8b. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** A zlib stream (what HTTP calls "deflate"): method 8 and a header pair that is a multiple of 31. */
const isZlib = (bytes: Uint8Array): boolean =>
	bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;

const concat = (chunks: Uint8Array[], total: number): Uint8Array => {
	const result = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		result.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return result;
};

async function decompress(
	bytes: Uint8Array,
	format: 'gzip' | 'deflate',
	limit: number,
): Promise<{ data: Uint8Array } | { invalid: string }> {
	const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format)).getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return { data: concat(chunks, total) };
			total += value.byteLength;
			if (total > limit) {
				await reader.cancel();
				return { invalid: `the decompressed body is larger than ${Math.round(limit / 1024 / 1024)} MB` };
			}
			chunks.push(value);
		}
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { invalid: `the body looks ${format}-compressed but could not be decompressed (${detail})` };
	}
}

/**
 * The body as text. gzip is recognised by its magic bytes whatever the headers say: n8n has
 * already gunzipped a body sent with `Content-Encoding: gzip` (its raw-body reader does), and a
 * body sent without the header arrives compressed. A zlib ("deflate") body is inflated only when
 * the header announces it. A UTF-8 byte-order mark is dropped.
 */
export async function decodeBody(bytes: Uint8Array, contentEncoding?: string, limit = MAX_DECOMPRESSED_BYTES): Promise<DecodedBody> {
	let data = bytes;
	const format = isGzip(data) ? 'gzip' : /\bdeflate\b/i.test(contentEncoding ?? '') && isZlib(data) ? 'deflate' : undefined;
	if (format) {
		const result = await decompress(data, format, limit);
		if ('invalid' in result) return result;
		data = result.data;
	}
	return { text: new TextDecoder('utf-8').decode(data) };
}

const preview = (text: string): string => JSON.stringify(text.slice(0, 60));

/** A JSON document, else NDJSON, else a reason why neither. */
export function parseBodyText(text: string): BodyContent {
	const trimmed = text.trim();
	if (!trimmed) return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(trimmed) as unknown };
	} catch {
		// Not one JSON document: try one object per line.
	}
	const rows = parseNdjson(trimmed.replace(/\r\n/g, '\n'));
	if (rows) return { kind: 'ndjson', rows };
	return {
		kind: 'invalid',
		reason: `the body is neither JSON nor NDJSON (it starts with ${preview(trimmed)})`,
		text: trimmed,
	};
}

/** What the request carries, as n8n hands it to a webhook node. */
export interface RequestBodySource {
	/** `getBodyData()`: what n8n parsed (JSON, form fields, text), or undefined / {} when it did not. */
	parsed: unknown;
	/** The request's raw bytes when n8n read them (`req.rawBody`). */
	raw?: Uint8Array;
	contentEncoding?: string;
}

/**
 * The body's content. What n8n already parsed is used when it is a JSON array or a non-empty
 * object; otherwise the raw bytes are decoded (NDJSON, gzip without a header, unknown content
 * types); a text body n8n parsed (text/plain) is the last resort.
 */
export async function readRequestBody(source: RequestBodySource, limit = MAX_DECOMPRESSED_BYTES): Promise<BodyContent> {
	const { parsed, raw, contentEncoding } = source;
	if (Array.isArray(parsed)) return { kind: 'json', value: parsed };
	if (isObject(parsed) && Object.keys(parsed).length > 0) return { kind: 'json', value: parsed };
	const bytes = raw?.length ? raw : parsed instanceof Uint8Array && parsed.length ? parsed : undefined;
	if (bytes) {
		const decoded = await decodeBody(bytes, contentEncoding, limit);
		return 'invalid' in decoded ? { kind: 'invalid', reason: decoded.invalid } : parseBodyText(decoded.text);
	}
	if (typeof parsed === 'string') return parseBodyText(parsed);
	return { kind: 'empty' };
}

/**
 * Rows of a "rows delivered" body: a JSON array (values that are not objects become
 * `{ value }`), a single object (one row), or NDJSON. A JSON `null` is no rows.
 */
export function rowsFromBody(content: BodyContent): { rows: Row[] } | { invalid: string } {
	switch (content.kind) {
		case 'empty':
			return { rows: [] };
		case 'ndjson':
			return { rows: content.rows };
		case 'invalid':
			return { invalid: content.reason };
		case 'json': {
			const { value } = content;
			if (value === null) return { rows: [] };
			if (Array.isArray(value)) return { rows: value.map((entry) => (isObject(entry) ? entry : { value: entry as IDataObject[string] })) };
			if (isObject(value)) return { rows: [value] };
			return { invalid: `the body is a single JSON ${typeof value}, not rows` };
		}
	}
}

/**
 * A notification body as one object: a JSON object as is, the only object of a one-element
 * array or one-line NDJSON, `{}` for an empty body, and anything else under `body` so that
 * nothing Bright Data sent is lost.
 */
export function notificationFromBody(content: BodyContent): IDataObject {
	switch (content.kind) {
		case 'empty':
			return {};
		case 'ndjson':
			return content.rows.length === 1 ? content.rows[0] : { body: content.rows };
		case 'invalid':
			return { body: content.text ?? content.reason };
		case 'json': {
			const { value } = content;
			if (isObject(value)) return value;
			if (Array.isArray(value) && value.length === 1 && isObject(value[0])) return value[0];
			return { body: value as IDataObject[string] };
		}
	}
}
