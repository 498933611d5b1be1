import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { isObject } from '../shared/rows';
import { parseRows } from '../shared/snapshot/rowStream';

// Bright Data documents none of its callback bodies (API notes §6), so the node accepts what a delivery can
// plausibly be: a JSON document or NDJSON, gzip-compressed with or without a Content-Encoding header.

const MEGABYTE = 1024 * 1024;
export const DEFAULT_MAX_BODY_MB = 16;
export const DEFAULT_MAX_ROWS = 100_000;

// n8n refuses bodies past N8N_PAYLOAD_SIZE_MAX before the node runs, but a gzip body sent without Content-Encoding
// arrives compressed (100 KB can inflate to gigabytes), and each row becomes a stored item. Nodes cannot read n8n's
// environment, so both limits are options.
export interface BodyLimits {
	/** As received and once decompressed. */
	maxBytes: number;
	maxRows: number;
}

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
export function pastLimit(
	limit: keyof BodyLimits,
	limits: BodyLimits,
	decompressed = false,
): string {
	if (limit === 'maxRows') {
		const rows = limits.maxRows.toLocaleString('en-US');
		return `holds more than ${rows} rows, the limit set in the trigger node's "Max Rows" option`;
	}
	const round = (value: number): number => Math.round(value * 100) / 100;
	const { maxBytes } = limits;
	const size =
		maxBytes >= MEGABYTE ? `${round(maxBytes / MEGABYTE)} MB` : `${round(maxBytes / 1024)} KB`;
	const once = decompressed ? ' once decompressed' : '';
	return `is larger than ${size}${once}, the limit set in the trigger node's "Max Body Size (MB)" option`;
}

/** What a request carried. NDJSON is read as the array of its rows; an empty body is `{ json: undefined }`. */
export type Body =
	| { json: unknown }
	/** Form fields that hold no JSON. */
	| { form: IDataObject }
	/** Why it could not be read, and its text when it decoded. */
	| { invalid: string; text?: string };

/** Past Max Body Size: the 413 message. The node stopped reading there. */
type TooLarge = { tooLarge: string };

const tooLarge = (limits: BodyLimits, decompressed: boolean): TooLarge => ({
	tooLarge: `The body ${pastLimit('maxBytes', limits, decompressed)}. Nothing was started.`,
});

/** A JSON object n8n parsed from the body (a raw body arrives as bytes instead). */
const isParsedObject = (value: unknown): value is IDataObject =>
	isObject(value) && !(value instanceof Uint8Array);

/** A JSON document, else NDJSON read as a dataset download is (stopping one row past `maxRows`). */
function parseText(text: string, maxRows: number): Body {
	const trimmed = text.trim();
	if (!trimmed) return { json: undefined };
	try {
		return { json: JSON.parse(trimmed) as unknown };
	} catch {
		// Not one JSON document: try one object per line.
	}
	const ndjson = parseRows(trimmed, maxRows);
	if (ndjson.kind === 'rows') return { json: ndjson.rows };
	const start = JSON.stringify(trimmed.slice(0, 60));
	return {
		invalid: `the body is neither JSON nor NDJSON (it starts with ${start})`,
		text: trimmed,
	};
}

/** A zlib stream (what HTTP calls "deflate"): method 8 and a header pair that is a multiple of 31. */
const isZlib = (bytes: Uint8Array): boolean =>
	bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;

/**
 * Raw bytes, inflated first when compressed. gzip is recognised by its magic bytes (1f 8b) whatever the headers say:
 * n8n has already gunzipped a body sent with `Content-Encoding: gzip`, and one sent without arrives compressed.
 * Deflate only when the header says so. DecompressionStream because community nodes may not import node:zlib.
 */
async function readBytes(
	bytes: Uint8Array,
	contentEncoding: string | undefined,
	limits: BodyLimits,
): Promise<Body | TooLarge> {
	const utf8 = new TextDecoder('utf-8');
	const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
	const format = gzip
		? 'gzip'
		: /\bdeflate\b/i.test(contentEncoding ?? '') && isZlib(bytes)
			? 'deflate'
			: undefined;
	if (!format) return parseText(utf8.decode(bytes), limits.maxRows);
	const reader = new Blob([bytes])
		.stream()
		.pipeThrough(new DecompressionStream(format))
		.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (let read = await reader.read(); !read.done; read = await reader.read()) {
			total += read.value.byteLength;
			if (total > limits.maxBytes) {
				// Stop inflating at once: the rest is never produced.
				await reader.cancel();
				return tooLarge(limits, true);
			}
			chunks.push(read.value);
		}
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return {
			invalid: `the body looks ${format}-compressed but could not be decompressed (${detail})`,
		};
	}
	return parseText(utf8.decode(Buffer.concat(chunks)), limits.maxRows);
}

/**
 * A form-encoded body. Senders that post JSON with the wrong Content-Type (`curl -d`, many libraries' defaults) end
 * up here, with the JSON text made one meaningless field name. So: the raw text when it is JSON or NDJSON; else the
 * only field's value when that is JSON (`rows=[…]`); else the fields, which a notification can use and rows cannot.
 */
async function readForm(
	parsed: unknown,
	raw: Uint8Array | undefined,
	limits: BodyLimits,
): Promise<Body | TooLarge> {
	const holdsRows = (body: Body | TooLarge): boolean =>
		'json' in body && typeof body.json === 'object' && body.json !== null;
	if (raw?.length) {
		const body = await readBytes(raw, undefined, limits);
		if ('tooLarge' in body || holdsRows(body)) return body;
	}
	const fields = isParsedObject(parsed) ? parsed : {};
	const values = Object.values(fields);
	if (values.length === 1 && typeof values[0] === 'string') {
		const body = parseText(values[0], limits.maxRows);
		if (holdsRows(body)) return body;
	}
	return { form: fields };
}

/** The parts of n8n's request object (express + n8n's raw-body reader) the node reads. */
interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	/** The media type without parameters, set by n8n's body reader. */
	contentType?: string;
	rawBody?: Uint8Array;
	readRawBody?: () => Promise<void>;
	readableEnded?: boolean;
}

const headerText = (value: string | string[] | undefined): string | undefined =>
	Array.isArray(value) ? value.join(', ') : value;

/**
 * The request's body. What n8n parsed is used when it is a JSON array or a non-empty object; else the raw bytes
 * (NDJSON, gzip without a header, unknown content types); a text n8n parsed (text/plain) is the last resort.
 */
export async function readBody(
	ctx: IWebhookFunctions,
	limits: BodyLimits,
): Promise<Body | TooLarge> {
	const request = ctx.getRequestObject() as unknown as WebhookRequest;
	const mediaType =
		request.contentType ?? headerText(request.headers['content-type'])?.split(';')[0].trim();
	const contentType = mediaType?.toLowerCase();
	const parsed = ctx.getBodyData() as unknown;
	// n8n has usually read (and inflated) the raw bytes before webhook(); else read them now, as its Webhook node does.
	if (
		!request.rawBody &&
		!contentType?.startsWith('multipart/') &&
		!request.readableEnded &&
		request.readRawBody
	) {
		await request.readRawBody();
	}
	const raw = request.rawBody;
	const received =
		raw?.length ?? (typeof parsed === 'string' || parsed instanceof Uint8Array ? parsed.length : 0);
	if (received > limits.maxBytes) return tooLarge(limits, false);
	if (contentType === 'application/x-www-form-urlencoded')
		return await readForm(parsed, raw, limits);
	if (Array.isArray(parsed) || (isParsedObject(parsed) && Object.keys(parsed).length > 0))
		return { json: parsed };
	const bytes = raw?.length
		? raw
		: parsed instanceof Uint8Array && parsed.length
			? parsed
			: undefined;
	if (bytes) return await readBytes(bytes, headerText(request.headers['content-encoding']), limits);
	return typeof parsed === 'string' ? parseText(parsed, limits.maxRows) : { json: undefined };
}
