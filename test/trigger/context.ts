/** A fake IWebhookFunctions for the trigger's webhook() (not a test file itself). */
import { returnJsonArray } from 'n8n-core';
import type { IDataObject, IHttpRequestOptions, INode, IWebhookFunctions } from 'n8n-workflow';

import { BrightDataScraperStudioTrigger } from '../../nodes/BrightDataScraperStudioTrigger/BrightDataScraperStudioTrigger.node';

export const TRIGGER_TYPE = 'n8n-nodes-brightdata-scraper-studio.brightDataScraperStudioTrigger';

/** An express-like response that records what the node wrote. */
export interface FakeResponse {
	statusCode?: number;
	headers: Record<string, string>;
	body?: string;
	ended: boolean;
	json: () => unknown;
	writeHead: (statusCode: number, headers?: Record<string, string>) => FakeResponse;
	end: (body?: string) => FakeResponse;
}

export interface FakeRequestOptions {
	parameters?: IDataObject;
	/** What getBodyData() returns (n8n's parsed body). */
	body?: unknown;
	/** req.rawBody. */
	raw?: Buffer;
	/** Called by req.readRawBody(), once, when rawBody is missing. */
	lateRaw?: Buffer;
	headers?: Record<string, string>;
	query?: IDataObject;
	/** For the fetch path: the credential. */
	credentials?: { apiToken: string; baseUrl: string };
}

export interface FakeContext {
	ctx: IWebhookFunctions;
	response: FakeResponse;
	/** What happened, in order: 'respond 200', 'GET /dca/dataset', … */
	events: string[];
	readRawBodyCalls: () => number;
}

export function fakeResponse(events: string[] = []): FakeResponse {
	const response: FakeResponse = {
		headers: {},
		ended: false,
		json: () => JSON.parse(response.body ?? ''),
		writeHead(statusCode, headers = {}) {
			if (response.statusCode !== undefined) throw new Error('writeHead called twice');
			response.statusCode = statusCode;
			response.headers = headers;
			events.push(`respond ${statusCode}`);
			return response;
		},
		end(body) {
			if (response.ended) throw new Error('end called twice');
			response.body = body;
			response.ended = true;
			return response;
		},
	};
	return response;
}

/** Sends the request with Node's fetch, adding the Bearer header as the credential's `authenticate` does. */
async function fetchWithBearer(credentials: { apiToken: string }, options: IHttpRequestOptions, events: string[]) {
	const url = new URL(options.url);
	for (const [name, value] of Object.entries(options.qs ?? {})) url.searchParams.set(name, String(value));
	events.push(`${options.method ?? 'GET'} ${url.pathname}`);
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers: { ...(options.headers as Record<string, string>), Authorization: `Bearer ${credentials.apiToken}` },
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
		signal: AbortSignal.timeout(options.timeout ?? 10_000),
	});
	return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

export const triggerNode: INode = {
	id: 'trigger',
	name: 'Bright Data Trigger',
	type: TRIGGER_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeContext(options: FakeRequestOptions = {}): FakeContext {
	const events: string[] = [];
	const response = fakeResponse(events);
	const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
	let readRawBodyCalls = 0;
	const request = {
		headers,
		contentType: headers['content-type']?.split(';')[0].trim(),
		body: options.body,
		rawBody: options.raw,
		readableEnded: false,
		async readRawBody() {
			readRawBodyCalls++;
			request.rawBody = options.lateRaw;
		},
	};
	const parameters = options.parameters ?? {};
	const ctx = {
		getNode: () => triggerNode,
		getNodeParameter: (name: string, fallback?: unknown) => (name in parameters ? parameters[name] : fallback),
		getBodyData: () => request.body,
		getHeaderData: () => headers,
		getQueryData: () => options.query ?? {},
		getRequestObject: () => request,
		getResponseObject: () => response,
		getCredentials: async () => {
			if (!options.credentials) throw new Error('no credential in this test');
			return options.credentials;
		},
		helpers: {
			returnJsonArray,
			httpRequestWithAuthentication: async (_type: string, requestOptions: IHttpRequestOptions) => {
				if (!options.credentials) throw new Error('no credential in this test');
				return await fetchWithBearer(options.credentials, requestOptions, events);
			},
		},
	} as unknown as IWebhookFunctions;
	return { ctx, response, events, readRawBodyCalls: () => readRawBodyCalls };
}

const trigger = new BrightDataScraperStudioTrigger();

/** Runs the node's webhook() on a fake context. */
export async function runWebhook(options: FakeRequestOptions = {}) {
	const fake = fakeContext(options);
	const result = await trigger.webhook.call(fake.ctx);
	const items = result.workflowData?.[0] ?? [];
	return { ...fake, result, items, rows: items.map(({ json }) => json) };
}
