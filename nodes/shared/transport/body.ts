import { NodeApiError, sleep, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { now } from '../timing';
import type { RequestSubject } from './errors';
import type { ApiResponse, RequestContext } from './index';

/** Error answers are read up to 64 KB (enough for any message), JSON answers whole up to 32 MB; datasets stream. */
export const ERROR_BODY_BYTES = 64 * 1024;
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/** At `at` (epoch ms) marks the request late and ends its wait and body: a peer trickling a byte a minute cannot outlast it. */
export class RequestTimer {
	private late = false;
	private body?: unknown;
	private abortRead?: (error: Error) => void;
	private readonly controller = new AbortController();

	constructor(readonly at: number) {
		sleep(Math.max(0, at - now()), this.controller.signal).then(
			() => {
				// Hosts older than n8n 2.34 ignore the abort signal: the sleep ends anyway.
				if (this.controller.signal.aborted) return;
				this.late = true;
				discard(this.body);
				this.abortRead?.(new Error('deadline passed'));
			},
			() => undefined,
		);
	}

	get passed(): boolean {
		return this.late || now() >= this.at;
	}

	// Rejects at the deadline even while no byte arrives: axios 1.18+ (n8n 2.41) hands over Readable.from(an async
	// generator over the socket), and destroying that does not end a read the generator waits on. Ends `body` too.
	async race<T>(read: Promise<T>, body?: unknown): Promise<T> {
		this.body = body;
		if (this.late) {
			read.catch(() => undefined);
			throw new Error('deadline passed');
		}
		try {
			return await new Promise<T>((resolve, reject) => {
				this.abortRead = reject;
				read.then(resolve, reject);
			});
		} finally {
			this.abortRead = undefined;
		}
	}

	cancel(): void {
		this.controller.abort();
	}
}

/** The body as a byte stream, also when a host's request helper answered with text or a Buffer instead. */
function byteStream(body: unknown): AsyncIterable<Uint8Array> {
	if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
		return body as AsyncIterable<Uint8Array>;
	const text =
		typeof body === 'string'
			? body
			: body === undefined || body === null
				? ''
				: JSON.stringify(body);
	const bytes = body instanceof Uint8Array ? body : new TextEncoder().encode(text);
	return (async function* () {
		yield bytes;
	})();
}

/** A Node Readable, named through n8n's own signature (community nodes may not import node:stream). */
type NodeReadable = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

export type ReadableFactory = (source: AsyncIterable<Uint8Array>) => NodeReadable;

// Readable.from (a zlib stream's Duplex.from) taken from the body's own class, as node:stream may not be imported.
// Undefined for text or a Buffer: the caller then stores a Buffer.
export function readableFactory(body: unknown): ReadableFactory | undefined {
	const { pipe, constructor } = (body ?? {}) as {
		pipe?: unknown;
		constructor?: { from?: unknown };
	};
	const from = constructor?.from;
	if (typeof pipe !== 'function' || typeof from !== 'function') return undefined;
	return (source) =>
		(from as (iterable: AsyncIterable<Uint8Array>) => NodeReadable).call(constructor, source);
}

/** Destroys a body that will not be read, so its connection is freed at once. */
export function discard(body: unknown): void {
	const stream = body as { destroy?: () => void } | null | undefined;
	if (typeof stream?.destroy === 'function') stream.destroy();
}

/** At most `maxBytes` (after decompression) as text, then the connection is closed; each chunk decoded once (linear). */
export async function readText(
	body: unknown,
	maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
	const decoder = new TextDecoder();
	const parts: string[] = [];
	let size = 0;
	for await (const chunk of byteStream(body)) {
		const room = maxBytes - size;
		if (chunk.byteLength > room) {
			parts.push(decoder.decode(chunk.subarray(0, room)));
			discard(body);
			return { text: parts.join(''), truncated: true };
		}
		size += chunk.byteLength;
		parts.push(decoder.decode(chunk, { stream: true }));
	}
	parts.push(decoder.decode());
	return { text: parts.join(''), truncated: false };
}

/** The body, ending with `onLate()`'s error when the timer fires, whether it trickles or is silent. */
export async function* timedStream(
	body: unknown,
	timer: RequestTimer,
	onLate: () => Error,
): AsyncGenerator<Uint8Array> {
	const chunks = byteStream(body)[Symbol.asyncIterator]();
	try {
		for (let step = await timer.race(chunks.next(), body); !step.done; ) {
			if (timer.passed) throw onLate();
			yield step.value;
			step = await timer.race(chunks.next(), body);
		}
	} catch (error) {
		throw timer.passed ? onLate() : error;
	} finally {
		timer.cancel();
		// Ended early (the reader stopped, an error, the deadline): read no more, which frees the connection.
		discard(body);
	}
}

/** A streamed body as text, at most MAX_JSON_BODY_BYTES (small answers only; the rest is dropped). */
export async function streamText(stream: AsyncIterable<Uint8Array>): Promise<string> {
	return (await readText(stream, MAX_JSON_BODY_BYTES)).text;
}

/** A JSON answer body; one that is not JSON becomes an error that names what was asked. */
export function parseJsonBody<T>(
	ctx: RequestContext,
	response: ApiResponse,
	subject: RequestSubject,
): T {
	try {
		return JSON.parse(response.body) as T;
	} catch {
		throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode } as JsonObject, {
			message: 'Bright Data sent an answer that is not JSON',
			description: `It said: "${response.excerpt.slice(0, 80)}". Try again; if it persists, Bright Data may have changed this endpoint.`,
			itemIndex: subject.itemIndex,
		});
	}
}
