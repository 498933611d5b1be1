import type { IDataObject } from 'n8n-workflow';

import { isObject, type Row } from '../../shared/rows';
import { parseRows } from '../../shared/snapshot/rowStream';
import { decodeBody } from './decode';

/**
 * Reading the body of a Bright Data callback. Bright Data documents none of them (API notes §6),
 * so this accepts what a delivery can plausibly be: a JSON document, NDJSON, either one
 * gzip-compressed with or without a `Content-Encoding` header (decode.ts).
 */

/**
 * How much the node reads from one request. n8n refuses request bodies above its own payload
 * limit (N8N_PAYLOAD_SIZE_MAX, 16 MB by default) before the node runs, but a gzip body sent
 * without Content-Encoding reaches the node compressed, and 100 KB of it can inflate to gigabytes.
 * So the node applies the same size to what it decompresses, and caps the rows it outputs (each row
 * becomes an n8n item, stored with the execution). Nodes cannot read n8n's environment, so both
 * are options of the node (see description.ts).
 */
export interface BodyLimits {
	/** The largest body, as received and once decompressed, in bytes. */
	maxBytes: number;
	/** The most rows one request may deliver. */
	maxRows: number;
}

export const MEGABYTE = 1024 * 1024;
export const DEFAULT_MAX_BODY_MB = 16;
export const DEFAULT_MAX_ROWS = 100_000;
export const DEFAULT_LIMITS: BodyLimits = { maxBytes: DEFAULT_MAX_BODY_MB * MEGABYTE, maxRows: DEFAULT_MAX_ROWS };

export type BodyContent =
	| { kind: 'empty' }
	/** A parsed JSON document: array, object or primitive. */
	| { kind: 'json'; value: unknown }
	/** NDJSON: one object per line. */
	| { kind: 'ndjson'; rows: Row[] }
	/** `text`: the decoded body, when decoding worked but parsing did not. */
	| { kind: 'invalid'; reason: string; text?: string }
	/** Larger than the limit, as received or once decompressed: the node stopped reading. */
	| { kind: 'tooLarge'; limitBytes: number; decompressed: boolean }
	/** Form fields (application/x-www-form-urlencoded) that hold no JSON. */
	| { kind: 'form'; fields: IDataObject };

/** Why the node refuses a request without starting anything: the HTTP status and what to tell the sender. */
export interface Refusal {
	status: 413 | 415;
	error: string;
	message: string;
}

/** A JSON object that n8n parsed from the body (a raw body arrives as bytes instead). */
const isParsedObject = (value: unknown): value is IDataObject => isObject(value) && !(value instanceof Uint8Array);

const preview = (text: string): string => JSON.stringify(text.slice(0, 60));

/**
 * A JSON document, else NDJSON read as a dataset download is, else a reason why neither. NDJSON
 * stops after `maxRows` + 1 rows: one more than the limit is enough to refuse the body.
 */
export function parseBodyText(text: string, maxRows = Infinity): BodyContent {
	const trimmed = text.trim();
	if (!trimmed) return { kind: 'empty' };
	try {
		return { kind: 'json', value: JSON.parse(trimmed) as unknown };
	} catch {
		// Not one JSON document: try one object per line.
	}
	const rows = parseRows(trimmed, maxRows);
	if (rows.kind === 'rows') return { kind: 'ndjson', rows: rows.rows };
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
	/** The media type, without parameters (`req.contentType`). */
	contentType?: string;
}

const FORM = 'application/x-www-form-urlencoded';

const holdsRows = (content: BodyContent): boolean =>
	content.kind === 'ndjson' || (content.kind === 'json' && typeof content.value === 'object' && content.value !== null);

/**
 * A form-encoded body. Senders that post JSON with the wrong Content-Type (`curl -d`, many HTTP
 * libraries' defaults) end up here, and n8n has turned the JSON text into one meaningless field
 * name. So: the raw text when it is JSON or NDJSON; else the value of the only field when that is
 * JSON (`rows=[…]`); else the fields as they are, which a notification can use and rows cannot.
 */
async function readForm(parsed: unknown, raw: Uint8Array | undefined, limits: BodyLimits): Promise<BodyContent> {
	if (raw?.length) {
		const decoded = await decodeBody(raw, undefined, limits.maxBytes);
		if ('tooLarge' in decoded) return { kind: 'tooLarge', limitBytes: decoded.tooLarge, decompressed: true };
		if ('text' in decoded) {
			const content = parseBodyText(decoded.text, limits.maxRows);
			if (holdsRows(content)) return content;
		}
	}
	const fields = isParsedObject(parsed) ? parsed : {};
	const values = Object.values(fields);
	if (values.length === 1 && typeof values[0] === 'string') {
		const content = parseBodyText(values[0], limits.maxRows);
		if (holdsRows(content)) return content;
	}
	return { kind: 'form', fields };
}

/**
 * The body's content. What n8n already parsed is used when it is a JSON array or a non-empty
 * object; otherwise the raw bytes are decoded (NDJSON, gzip without a header, unknown content
 * types); a text body n8n parsed (text/plain) is the last resort.
 */
export async function readRequestBody(source: RequestBodySource, limits: BodyLimits = DEFAULT_LIMITS): Promise<BodyContent> {
	const { parsed, raw, contentEncoding, contentType } = source;
	const received = raw?.length ?? (typeof parsed === 'string' ? parsed.length : parsed instanceof Uint8Array ? parsed.length : 0);
	if (received > limits.maxBytes) return { kind: 'tooLarge', limitBytes: limits.maxBytes, decompressed: false };
	if (contentType?.toLowerCase() === FORM) return await readForm(parsed, raw, limits);
	if (Array.isArray(parsed)) return { kind: 'json', value: parsed };
	if (isParsedObject(parsed) && Object.keys(parsed).length > 0) return { kind: 'json', value: parsed };
	const bytes = raw?.length ? raw : parsed instanceof Uint8Array && parsed.length ? parsed : undefined;
	if (bytes) {
		const decoded = await decodeBody(bytes, contentEncoding, limits.maxBytes);
		if ('tooLarge' in decoded) return { kind: 'tooLarge', limitBytes: decoded.tooLarge, decompressed: true };
		return 'invalid' in decoded ? { kind: 'invalid', reason: decoded.invalid } : parseBodyText(decoded.text, limits.maxRows);
	}
	if (typeof parsed === 'string') return parseBodyText(parsed, limits.maxRows);
	return { kind: 'empty' };
}

export const size = (bytes: number): string =>
	bytes >= MEGABYTE ? `${Math.round((bytes / MEGABYTE) * 100) / 100} MB` : `${Math.round((bytes / 1024) * 100) / 100} KB`;

/** A body the node will not read, whatever the event: too large. */
export function refusalOf(content: BodyContent): Refusal | undefined {
	if (content.kind !== 'tooLarge') return undefined;
	return {
		status: 413,
		error: 'Payload Too Large',
		message: `The body is larger than ${size(content.limitBytes)}${content.decompressed ? ' once decompressed' : ''}, the limit set in the trigger node's "Max Body Size (MB)" option. Nothing was started.`,
	};
}

const tooManyRows = (maxRows: number): Refusal => ({
	status: 413,
	error: 'Payload Too Large',
	message: `The body holds more than ${maxRows.toLocaleString('en-US')} rows, the limit set in the trigger node's "Max Rows" option. Nothing was started.`,
});

const FORM_REFUSAL: Refusal = {
	status: 415,
	error: 'Unsupported Media Type',
	message:
		'Form fields are not rows. Send the rows as JSON or NDJSON (Content-Type application/json or application/x-ndjson), or as one form field whose value is JSON. Nothing was started.',
};

/**
 * Rows of a "rows delivered" body: a JSON array (values that are not objects become
 * `{ value }`), a single object (one row), or NDJSON. A JSON `null` is no rows. More than
 * `maxRows` rows, a body that is too large and bare form fields are refused.
 */
export function rowsFromBody(content: BodyContent, maxRows = DEFAULT_MAX_ROWS): { rows: Row[] } | { invalid: string } | { refused: Refusal } {
	switch (content.kind) {
		case 'empty':
			return { rows: [] };
		case 'ndjson':
			return content.rows.length > maxRows ? { refused: tooManyRows(maxRows) } : { rows: content.rows };
		case 'invalid':
			return { invalid: content.reason };
		case 'tooLarge':
			return { refused: refusalOf(content)! };
		case 'form':
			return { refused: FORM_REFUSAL };
		case 'json': {
			const { value } = content;
			if (value === null) return { rows: [] };
			if (Array.isArray(value) && value.length > maxRows) return { refused: tooManyRows(maxRows) };
			if (Array.isArray(value)) return { rows: value.map((entry) => (isParsedObject(entry) ? entry : { value: entry as IDataObject[string] })) };
			if (isParsedObject(value)) return { rows: [value] };
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
		case 'tooLarge':
			return { body: refusalOf(content)!.message };
		case 'form':
			return content.fields;
		case 'json': {
			const { value } = content;
			if (isParsedObject(value)) return value;
			if (Array.isArray(value) && value.length === 1 && isParsedObject(value[0])) return value[0];
			return { body: value as IDataObject[string] };
		}
	}
}
