/** Small HTTP helpers: building replies and reading requests. */
import type { IncomingMessage } from 'node:http';

import type { JsonValue, ParsedRequest, Reply, Row } from './types';

/** Bodies above this are refused with 413; nothing legitimate comes close. */
export const MAX_BODY_BYTES = 50 * 1024 * 1024;

export function json(status: number, value: JsonValue): Reply {
	return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

export function text(status: number, body: string): Reply {
	return { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body };
}

/** Rows per piece of a dataset answer: each piece is one modest string, however big the dataset. */
const ROWS_PER_PIECE = 1000;

/**
 * A dataset: a JSON array (byte for byte as JSON.stringify writes it), or NDJSON (one object per
 * line, newline-terminated; no rows → an empty body). Rendered ROWS_PER_PIECE rows at a time into
 * Buffers, so a million rows of 1 KB can be served.
 */
export function datasetReply(rows: Iterable<Row>, format: 'json' | 'ndjson'): Reply {
	const pieces: Buffer[] = [];
	for (const batch of batches(rows, ROWS_PER_PIECE)) {
		const texts = batch.map((row) => JSON.stringify(row));
		pieces.push(Buffer.from(format === 'ndjson' ? texts.join('\n') + '\n' : (pieces.length ? ',' : '') + texts.join(',')));
	}
	if (format === 'ndjson') return { status: 200, headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8' }, body: pieces };
	return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: [Buffer.from('['), ...pieces, Buffer.from(']')] };
}

function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
	let batch: T[] = [];
	for (const item of items) {
		batch.push(item);
		if (batch.length === size) {
			yield batch;
			batch = [];
		}
	}
	if (batch.length) yield batch;
}

/** A reply body as Buffers, ready to write. */
export const bodyPieces = (body: Reply['body']): Buffer[] => (Array.isArray(body) ? body : [typeof body === 'string' ? Buffer.from(body) : body]);

/** A reply body as text (for faults that rewrite an answer; never used on a huge one). */
export const bodyText = (body: Reply['body']): string => Buffer.concat(bodyPieces(body)).toString('utf8');

export const errorJson = (status: number, error: string): Reply => json(status, { error });

export class BodyTooLargeError extends Error {}

/** Reads the whole request and parses URL, query and JSON body. */
export async function readRequest(req: IncomingMessage): Promise<ParsedRequest> {
	const url = new URL(req.url ?? '/', 'http://emulator.local');
	const query: Record<string, string> = {};
	for (const [name, value] of url.searchParams) query[name] = value;

	const raw = await readBody(req);
	let body: JsonValue | string | undefined;
	let bodyIsInvalidJson = false;
	if (raw.trim()) {
		try {
			body = JSON.parse(raw) as JsonValue;
		} catch {
			body = raw;
			bodyIsInvalidJson = true;
		}
	}
	return {
		method: (req.method ?? 'GET').toUpperCase(),
		path: url.pathname,
		query,
		body,
		bodyIsInvalidJson,
		authorization: req.headers.authorization,
	};
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		const buffer = chunk as Buffer;
		size += buffer.length;
		if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`Body larger than ${MAX_BODY_BYTES} bytes`);
		chunks.push(buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

/** "25s" → 25; undefined for anything else. */
export function parseSeconds(value: string | undefined): number | undefined {
	const match = value?.trim().match(/^(\d+)s?$/);
	return match ? Number(match[1]) : undefined;
}

/** Integer query parameter, or `fallback` when absent or not a number. */
export function intParam(value: string | undefined, fallback: number): number {
	if (value === undefined || value.trim() === '') return fallback;
	const number = Number(value);
	return Number.isInteger(number) ? number : fallback;
}

export const isObject = (value: unknown): value is Record<string, JsonValue> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
