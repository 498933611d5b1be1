/**
 * A real HTTP server on 127.0.0.1 that answers as the test says (a hostile or broken peer in
 * place of Bright Data), and records what it was sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
	method: string;
	url: string;
	authorization?: string;
	body: string;
	at: number;
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

export interface Peer {
	url: string;
	seen: Seen[];
	handle: (handler: Handler) => void;
	close: () => Promise<void>;
}

export async function startPeer(): Promise<Peer> {
	const seen: Seen[] = [];
	let handler: Handler = (_request, response) => response.writeHead(500).end();
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks).toString();
			seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body, at: Date.now() });
			handler(request, response, body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		handle: (next) => (handler = next),
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
	response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
