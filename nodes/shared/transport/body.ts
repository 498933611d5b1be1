import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { now } from '../timing';

/**
 * A timer for one request: at `at` (epoch ms) it marks the request late and destroys the
 * answer's body, so a peer that sends its headers and then a byte a minute cannot hold the
 * execution past its deadline. Cancel it once the answer has been read.
 */
export class RequestTimer {
	private late = false;
	private settled = false;
	private body?: { destroy?: (error?: Error) => void };
	/** Rejects the read in progress (see `race`). */
	private abortRead?: (error: Error) => void;
	private readonly controller = new AbortController();
	/** Settles with true at the deadline, never if the timer is cancelled first. */
	readonly expired: Promise<true>;

	constructor(readonly at: number) {
		this.expired = new Promise((resolve) => {
			sleep(Math.max(0, at - now()), this.controller.signal).then(
				() => {
					// Hosts older than n8n 2.34 ignore the abort signal: the sleep ends anyway.
					if (this.settled) return;
					this.late = true;
					this.body?.destroy?.(new Error('deadline passed'));
					this.abortRead?.(new Error('deadline passed'));
					resolve(true);
				},
				() => undefined,
			);
		});
	}

	get passed(): boolean {
		return this.late || now() >= this.at;
	}

	/** The body the timer ends at the deadline (a Node stream; other bodies cannot be ended). */
	watch(body: unknown): void {
		if (typeof body === 'object' && body !== null) this.body = body as { destroy?: (error?: Error) => void };
		if (this.late) this.body?.destroy?.(new Error('deadline passed'));
	}

	/**
	 * A read of the body that rejects when the timer fires, even while no byte arrives: axios 1.18+
	 * (n8n 2.41) hands over Readable.from(an async generator over the socket), and destroying that
	 * does not end a read the generator is waiting on.
	 */
	async race<T>(read: Promise<T>): Promise<T> {
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
		this.settled = true;
		this.controller.abort();
	}
}

/** The body as a byte stream, also when a host's request helper answered with text or a Buffer instead. */
export function byteStream(body: unknown): AsyncIterable<Uint8Array> {
	if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) return body as AsyncIterable<Uint8Array>;
	const bytes = body instanceof Uint8Array ? body : new TextEncoder().encode(bodyText(body));
	return (async function* () {
		yield bytes;
	})();
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

/** A Node Readable, as n8n's binary data store takes it (named through n8n's own signature). */
export type NodeReadable = Exclude<Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0], Buffer>;

/** Makes a Node Readable of an async iterable. */
export type ReadableFactory = (source: AsyncIterable<Uint8Array>) => NodeReadable;

/**
 * A Readable factory taken from an answer body's own class, because community nodes may not
 * import node:stream: an http.IncomingMessage inherits Readable.from (a zlib stream Duplex.from,
 * which makes a readable Duplex of an async iterable). Undefined when the host handed over
 * something else (text, a Buffer); the caller then stores a Buffer instead.
 */
export function readableFactory(body: unknown): ReadableFactory | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { pipe, constructor } = body as { pipe?: unknown; constructor?: { from?: unknown } };
	const from = constructor?.from;
	if (typeof pipe !== 'function' || typeof from !== 'function') return undefined;
	return (source) => (from as (iterable: AsyncIterable<Uint8Array>) => NodeReadable).call(constructor, source);
}

/** Destroys a body that will not be read, so its connection is freed at once. */
export function discard(body: unknown): void {
	const stream = body as { destroy?: () => void } | null;
	if (typeof stream?.destroy === 'function') stream.destroy();
}

export interface ReadTextResult {
	text: string;
	/** True when the body was longer than `maxBytes` and the rest was not read. */
	truncated: boolean;
}

/**
 * Reads a body as text, at most `maxBytes` (counted after decompression), in linear time:
 * chunks are decoded once and joined once. Reading stops, and the connection is closed,
 * as soon as the limit is reached.
 */
export async function readText(body: unknown, maxBytes: number): Promise<ReadTextResult> {
	const decoder = new TextDecoder();
	const parts: string[] = [];
	let size = 0;
	let truncated = false;
	for await (const chunk of byteStream(body)) {
		const room = maxBytes - size;
		if (chunk.byteLength > room) {
			parts.push(decoder.decode(chunk.subarray(0, room), { stream: true }));
			truncated = true;
			break;
		}
		size += chunk.byteLength;
		parts.push(decoder.decode(chunk, { stream: true }));
	}
	parts.push(decoder.decode());
	if (truncated) discard(body);
	return { text: parts.join(''), truncated };
}

/**
 * A body that ends with `onLate()`'s error when the timer fires, whether it trickles or is silent,
 * and stops the timer when done.
 */
export async function* timedStream(
	body: unknown,
	timer: RequestTimer,
	onLate: () => Error,
): AsyncGenerator<Uint8Array> {
	timer.watch(body);
	const chunks = byteStream(body)[Symbol.asyncIterator]();
	let handedOver = false;
	try {
		for (let step = await timer.race(chunks.next()); !step.done; step = await timer.race(chunks.next())) {
			if (timer.passed) throw onLate();
			handedOver = true;
			yield step.value;
			handedOver = false;
		}
	} catch (error) {
		throw timer.passed ? onLate() : error;
	} finally {
		timer.cancel();
		// The reader stopped early: read no more, which frees the connection.
		if (handedOver) await chunks.return?.();
	}
}
