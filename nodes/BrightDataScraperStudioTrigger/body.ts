import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isObject } from '../shared/rows';
import { parseRows } from '../shared/snapshot/rowStream';

// Bright Data documents none of its callback bodies (API notes §6), so the node accepts what a delivery can
// plausibly be: a JSON document or NDJSON, gzip-compressed with or without a Content-Encoding header.

const MEGABYTE = 1024 * 1024;
export const DEFAULT_MAX_BODY_MB = 16;
export const DEFAULT_MAX_ROWS = 100_000;

// Bytes as received and once decompressed (100 KB of gzip can inflate to gigabytes), rows (each becomes a stored
// item): options, as nodes cannot read N8N_PAYLOAD_SIZE_MAX.
export type BodyLimits = { maxBytes: number; maxRows: number };

/** The limits set in the options; what is not a positive number (an expression may give anything) is the default. */
export function limitsOf(options: { maxBodyMb?: unknown; maxRows?: unknown }): BodyLimits {
	const positive = (value: unknown, fallback: number): number =>
		typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
	return {
		maxBytes: Math.floor(positive(options.maxBodyMb, DEFAULT_MAX_BODY_MB) * MEGABYTE),
		maxRows: Math.floor(positive(options.maxRows, DEFAULT_MAX_ROWS)),
	};
}

/** How a body or a fetched dataset is past a limit, naming the option that sets it. */
export function pastLimit(limit: keyof BodyLimits, limits: BodyLimits, decompressed = false) {
	const { maxBytes, maxRows } = limits;
	if (limit === 'maxRows')
		return `holds more than ${maxRows.toLocaleString('en-US')} rows, the limit set in the trigger node's "Max Rows" option`;
	const [size, unit] = maxBytes >= MEGABYTE ? [maxBytes / MEGABYTE, 'MB'] : [maxBytes / 1024, 'KB'];
	const once = decompressed ? ' once decompressed' : '';
	return `is larger than ${Math.round(size * 100) / 100} ${unit}${once}, the limit set in the trigger node's "Max Body Size (MB)" option`;
}

/**
 * What a request carried (NDJSON as the array of its rows, nothing as `{ json: undefined }`); form fields that
 * hold no JSON; why it could not be read (and its text when it decoded); or, past Max Body Size, the 413 message.
 */
export type Body =
	| { json: unknown }
	| { form: IDataObject }
	| { invalid: string; text?: string }
	| { tooLarge: string };

const tooLarge = (limits: BodyLimits, decompressed: boolean): Body => ({
	tooLarge: `The body ${pastLimit('maxBytes', limits, decompressed)}. Nothing was started.`,
});

/** A JSON document, else NDJSON read as a dataset download is (stopping one row past `maxRows`). */
function parseText(text: string, maxRows: number): Body {
	const trimmed = text.trim();
	if (!trimmed) return { json: undefined };
	try {
		return { json: JSON.parse(trimmed) as unknown };
	} catch {
		const ndjson = parseRows(trimmed, maxRows);
		if (ndjson.kind === 'rows') return { json: ndjson.rows };
		const invalid = `the body is neither JSON nor NDJSON (it starts with ${JSON.stringify(trimmed.slice(0, 60))})`;
		return { invalid, text: trimmed };
	}
}

/** A zlib stream (what HTTP calls "deflate"): method 8 and a header pair that is a multiple of 31. */
const isZlib = (bytes: Uint8Array): boolean =>
	bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;

/**
 * Raw bytes, inflated first when compressed: gzip whatever the headers say (n8n has gunzipped a body sent with
 * `Content-Encoding: gzip`, not one sent without), deflate only when the header says so. DecompressionStream
 * because community nodes may not import node:zlib; leaving it at Max Body Size stops it: the rest is never made.
 */
async function readBytes(bytes: Uint8Array, encoding: string, limits: BodyLimits): Promise<Body> {
	const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
	const format = gzip ? 'gzip' : /\bdeflate\b/i.test(encoding) && isZlib(bytes) ? 'deflate' : '';
	if (!format) return parseText(new TextDecoder().decode(bytes), limits.maxRows);
	const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for await (const chunk of inflated) {
			chunks.push(chunk);
			total += chunk.byteLength;
			if (total > limits.maxBytes) return tooLarge(limits, true);
		}
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return {
			invalid: `the body looks ${format}-compressed but could not be decompressed (${detail})`,
		};
	}
	return parseText(new TextDecoder().decode(Buffer.concat(chunks)), limits.maxRows);
}

/** The parts of n8n's request object (express + n8n's raw-body reader; `contentType` without parameters) read here. */
interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	contentType?: string;
	rawBody?: Uint8Array;
	readRawBody?: () => Promise<void>;
	readableEnded?: boolean;
}

const header = (request: WebhookRequest, name: string): string =>
	[request.headers[name] ?? []].flat().join(', ');

/**
 * The request's body. What n8n parsed is used when it is a JSON array or a non-empty object; else the raw bytes
 * (NDJSON, gzip without a header, unknown content types); a text n8n parsed (text/plain) is the last resort.
 * A form body (`curl -d` and many libraries post JSON so, n8n making the JSON text one field name) is its raw text
 * when that is JSON or NDJSON, else its only field's value when that is JSON (`rows=[…]`), else the fields.
 */
export async function readBody(ctx: IWebhookFunctions, limits: BodyLimits): Promise<Body> {
	const request = ctx.getRequestObject() as unknown as WebhookRequest;
	const type = (request.contentType ?? header(request, 'content-type').split(';')[0]).trim();
	const contentType = type.toLowerCase();
	const parsed = ctx.getBodyData() as unknown;
	// n8n has usually read (and inflated) the raw bytes before webhook(); else read them now, as its Webhook node does.
	const unread =
		!request.rawBody && !contentType.startsWith('multipart/') && !request.readableEnded;
	if (unread && request.readRawBody) await request.readRawBody();
	const fields = isObject(parsed) && !(parsed instanceof Uint8Array) ? parsed : undefined;
	const isBytes = (raw: unknown): raw is Uint8Array => raw instanceof Uint8Array && raw.length > 0;
	const bytes = [request.rawBody, parsed].find(isBytes);
	const text = typeof parsed === 'string' ? parsed : undefined;
	if ((request.rawBody?.length ?? bytes?.length ?? text?.length ?? 0) > limits.maxBytes)
		return tooLarge(limits, false);
	const holdsRows = (body: Body) => 'json' in body && typeof body.json === 'object' && body.json;
	if (contentType === 'application/x-www-form-urlencoded') {
		const body = isBytes(request.rawBody)
			? await readBytes(request.rawBody, '', limits)
			: undefined;
		if (body && ('tooLarge' in body || holdsRows(body))) return body;
		const values = Object.values(fields ?? {});
		const only =
			values.length === 1 && typeof values[0] === 'string' && parseText(values[0], limits.maxRows);
		return only && holdsRows(only) ? only : { form: fields ?? {} };
	}
	if (Array.isArray(parsed) || (fields && Object.keys(fields).length)) return { json: parsed };
	if (bytes) return await readBytes(bytes, header(request, 'content-encoding'), limits);
	return text === undefined ? { json: undefined } : parseText(text, limits.maxRows);
}
