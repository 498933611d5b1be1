import { sleep, type IExecuteFunctions } from 'n8n-workflow';

import { now } from '../timing';

/** At `at` (epoch ms) marks the request late and destroys its body: a peer trickling a byte a minute cannot outlast it. */
export class RequestTimer {
	private late = false;
	private settled = false;
	private body?: { destroy?: (error?: Error) => void };
	private abortRead?: (error: Error) => void;
	private readonly controller = new AbortController();
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

	/** Only a Node stream can be ended at the deadline; other bodies cannot. */
	watch(body: unknown): void {
		if (typeof body === 'object' && body !== null)
			this.body = body as { destroy?: (error?: Error) => void };
		if (this.late) this.body?.destroy?.(new Error('deadline passed'));
	}

	// Rejects at the deadline even while no byte arrives: axios 1.18+ (n8n 2.41) hands over Readable.from(an async
	// generator over the socket), and destroying that does not end a read the generator waits on.
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
function byteStream(body: unknown): AsyncIterable<Uint8Array> {
	if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body)
		return body as AsyncIterable<Uint8Array>;
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

/** A Node Readable, named through n8n's own signature (community nodes may not import node:stream). */
type NodeReadable = Exclude<
	Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0],
	Buffer
>;

export type ReadableFactory = (source: AsyncIterable<Uint8Array>) => NodeReadable;

// Readable.from (a zlib stream's Duplex.from) taken from the body's own class, as node:stream may not be imported.
// Undefined for text or a Buffer: the caller then stores a Buffer.
export function readableFactory(body: unknown): ReadableFactory | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { pipe, constructor } = body as { pipe?: unknown; constructor?: { from?: unknown } };
	const from = constructor?.from;
	if (typeof pipe !== 'function' || typeof from !== 'function') return undefined;
	return (source) =>
		(from as (iterable: AsyncIterable<Uint8Array>) => NodeReadable).call(constructor, source);
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

/** At most `maxBytes` (after decompression) as text, then the connection is closed; each chunk decoded once (linear). */
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

/** The body, ending with `onLate()`'s error when the timer fires, whether it trickles or is silent. */
export async function* timedStream(
	body: unknown,
	timer: RequestTimer,
	onLate: () => Error,
): AsyncGenerator<Uint8Array> {
	timer.watch(body);
	const chunks = byteStream(body)[Symbol.asyncIterator]();
	let handedOver = false;
	try {
		for (
			let step = await timer.race(chunks.next());
			!step.done;
			step = await timer.race(chunks.next())
		) {
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
