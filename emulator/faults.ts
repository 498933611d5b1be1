/**
 * Fault injection: a fault is matched against each incoming request and changes how (or whether)
 * it is answered. Faults come from `emulator.injectFault()` at run time or from a collector's
 * `faults` (copied for each of its jobs).
 */
import { bodyText } from './http';
import type { JsonValue, ParsedRequest, Reply } from './types';

/** Which requests a fault applies to; every given field must match. */
export interface FaultMatch {
	method?: string;
	/** Exact path (no query), or a RegExp tested against the path. */
	path?: string | RegExp;
	/** Collector the request is about: `?collector=`, or the collector of the job / response it names. */
	collector?: string;
	/** Job or real-time response the request names (`?id=`, `/dca/log/{id}`, `?response_id=`…). */
	jobId?: string;
	/** How many matching requests it affects (default 1; Infinity = until clearFaults). */
	times?: number;
}

export type FaultKind =
	/** Answer this status instead of handling the request. */
	| { kind: 'status'; status: number; headers?: Record<string, string>; body?: JsonValue }
	/** Destroy the socket without answering; with `after`, the request is processed first (lost response). */
	| { kind: 'drop'; after?: boolean }
	/** Answer normally, `ms` real milliseconds late. */
	| { kind: 'delay'; ms: number }
	/** Never answer (until the emulator closes). */
	| { kind: 'hang' }
	/** 200 with this raw body. */
	| { kind: 'malformed'; body: string; contentType?: string }
	/** Dataset as NDJSON whose last line is cut in half (applies only to a 200 carrying rows). */
	| { kind: 'tornNdjson' }
	/** 200 with `{"status":"building"}` whatever the real state. */
	| { kind: 'statusObject'; status?: string }
	/** 200 with a JSON array (or NDJSON) of filler rows of at least `bytes` bytes. */
	| { kind: 'huge'; bytes: number; rowBytes?: number };

export type Fault = FaultMatch & FaultKind;

/** What a request is about, for `collector` / `jobId` matching. */
export interface RequestTarget {
	collectorId?: string;
	jobId?: string;
}

interface ActiveFault {
	fault: Fault;
	remaining: number;
}

export class FaultBook {
	private active: ActiveFault[] = [];

	add(fault: Fault): void {
		this.active.push({ fault, remaining: fault.times ?? 1 });
	}

	clear(): void {
		this.active = [];
	}

	/** First fault matching the request, not yet consumed (see `consume`). */
	find(request: ParsedRequest, target: RequestTarget): Fault | undefined {
		return this.active.find((entry) => entry.remaining > 0 && matches(entry.fault, request, target))?.fault;
	}

	/** Counts one use of a fault; used-up faults are forgotten. */
	consume(fault: Fault): void {
		const entry = this.active.find((candidate) => candidate.fault === fault);
		if (!entry) return;
		entry.remaining -= 1;
		this.active = this.active.filter((candidate) => candidate.remaining > 0);
	}
}

function matches(fault: Fault, request: ParsedRequest, target: RequestTarget): boolean {
	if (fault.method && fault.method.toUpperCase() !== request.method) return false;
	if (typeof fault.path === 'string' && fault.path !== request.path) return false;
	if (fault.path instanceof RegExp && !fault.path.test(request.path)) return false;
	if (fault.collector && fault.collector !== target.collectorId) return false;
	if (fault.jobId && fault.jobId !== target.jobId) return false;
	return true;
}

// ---- Replies that faults put in place of (or make out of) the real answer ----

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };
const NDJSON_HEADERS = { 'Content-Type': 'application/x-ndjson; charset=utf-8' };

export function statusFaultReply(fault: Extract<FaultKind, { kind: 'status' }>): Reply {
	const body = fault.body ?? { error: defaultErrorText(fault.status) };
	const isText = typeof body === 'string';
	return {
		status: fault.status,
		headers: { ...(isText ? { 'Content-Type': 'text/plain; charset=utf-8' } : JSON_HEADERS), ...fault.headers },
		body: isText ? body : JSON.stringify(body),
	};
}

function defaultErrorText(status: number): string {
	if (status === 429) return 'Too Many Requests';
	if (status === 503) return 'Service Unavailable';
	if (status === 502) return 'Bad Gateway';
	if (status === 504) return 'Gateway Timeout';
	return status >= 500 ? 'Internal server error' : `Error ${status}`;
}

export function malformedReply(fault: Extract<FaultKind, { kind: 'malformed' }>): Reply {
	return { status: 200, headers: { 'Content-Type': fault.contentType ?? JSON_HEADERS['Content-Type'] }, body: fault.body };
}

export function statusObjectReply(fault: Extract<FaultKind, { kind: 'statusObject' }>): Reply {
	return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: fault.status ?? 'building' }) };
}

/** Filler rows (of about `rowBytes`) until the body reaches `bytes`; shaped like a real dataset (rows echo an input). */
export function hugeReply(bytes: number, asNdjson: boolean, rowBytes = 1000): Reply {
	const lines: string[] = [];
	let size = 2;
	for (let index = 0; size < bytes; index++) {
		const line = JSON.stringify({ title: 'x'.repeat(rowBytes), input: { url: `https://huge.example/${index}` } });
		lines.push(line);
		size += line.length + 1;
	}
	return asNdjson
		? { status: 200, headers: NDJSON_HEADERS, body: lines.join('\n') + '\n' }
		: { status: 200, headers: JSON_HEADERS, body: `[${lines.join(',')}]` };
}

/**
 * The reply's rows as NDJSON with the last line cut in half (a torn download).
 * Undefined when the reply carries no rows, so the fault waits for one that does.
 */
export function tearNdjson(reply: Reply): Reply | undefined {
	if (reply.status !== 200) return undefined;
	const rows = rowsOf(bodyText(reply.body));
	if (!rows?.length) return undefined;
	const lines = rows.map((row) => JSON.stringify(row));
	const last = lines.pop() ?? '';
	lines.push(last.slice(0, Math.max(1, Math.floor(last.length / 2))));
	return { status: 200, headers: NDJSON_HEADERS, body: lines.join('\n') };
}

function rowsOf(text: string): JsonValue[] | undefined {
	try {
		const trimmed = text.trim();
		if (trimmed.startsWith('[')) return JSON.parse(trimmed) as JsonValue[];
		return trimmed
			.split('\n')
			.filter((line) => line.trim())
			.map((line) => JSON.parse(line) as JsonValue);
	} catch {
		return undefined;
	}
}
