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

/** One JSON object per line, newline-terminated; no rows → an empty body. */
export function ndjson(rows: Row[]): Reply {
	const body = rows.map((row) => JSON.stringify(row) + '\n').join('');
	return { status: 200, headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8' }, body };
}

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
