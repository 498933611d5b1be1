/** Tiny fetch client for the emulator tests (not a test file itself). */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

import type { Emulator } from '../../emulator/server';

export interface CallOptions {
	query?: Record<string, string | number>;
	body?: unknown;
	/** Raw body text (sent as is). */
	rawBody?: string;
	/** Authorization header; default `Bearer <emulator token>`; null = none. */
	authorization?: string | null;
	signal?: AbortSignal;
}

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON body (throws if not JSON). */
	json: <T = unknown>() => T;
}

export async function call(emulator: Emulator, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
	const url = new URL(path, emulator.url);
	for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
	const headers: Record<string, string> = { 'Content-Type': 'application/json' };
	const authorization = options.authorization === undefined ? `Bearer ${emulator.token}` : options.authorization;
	if (authorization !== null) headers.Authorization = authorization;
	const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
	const response = await fetch(url, { method, headers, body, signal: options.signal });
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** Triggers a batch job and returns its collection_id. */
export async function trigger(emulator: Emulator, collector: string, inputs: unknown[], query: Record<string, string | number> = {}): Promise<string> {
	const result = await call(emulator, 'POST', '/dca/trigger', { query: { collector, queue_next: 1, ...query }, body: inputs });
	if (result.status !== 200) throw new Error(`trigger answered ${result.status}: ${result.text}`);
	return result.json<{ collection_id: string }>().collection_id;
}

export const parseNdjson = (text: string): unknown[] =>
	text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => JSON.parse(line) as unknown);

export interface ReceivedHook {
	path: string;
	headers: IncomingHttpHeaders;
	/** Body, gunzipped when Content-Encoding is gzip. */
	body: string;
}

/** A local webhook receiver recording every request it gets. */
export async function startReceiver(): Promise<{ url: string; received: ReceivedHook[]; close: () => Promise<void> }> {
	const received: ReceivedHook[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
			received.push({ path: req.url ?? '', headers: req.headers, body: body.toString('utf8') });
			res.end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		received,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
