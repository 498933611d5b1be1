/**
 * The one stand-in for n8n's webhook side in the trigger node's tests (not a test file itself).
 * Every request runs the trigger's webhook() inside n8n-core's own WebhookContext, with the test
 * credentials helper of test/harness/workflow.ts, so its requests go through n8n-core's
 * httpRequestWithAuthentication like in n8n. Two ways in:
 * - `runWebhook`: the request as n8n hands it to the node (parsed body, raw body or not yet read),
 *   to try each form n8n may pass on;
 * - `startN8nHost`: a real HTTP server on 127.0.0.1 that prepares the request as n8n does for a
 *   version-1 webhook node and answers as n8n does.
 *
 * What it copies from n8n (packages/cli, read on GitHub; the CLI is not installed here):
 * - middlewares/body-parser.ts `rawBodyReader`: the raw body, gunzipped / inflated when
 *   Content-Encoding says so; `parseBody`: JSON for application/json (a parse error → 422
 *   "Failed to parse request body", before the node runs), text for text/plain, querystring fields
 *   (at most 1000) for application/x-www-form-urlencoded, else no body.
 * - webhooks/webhook-helpers.ts: a version-1 node's body is always pre-parsed; a node that
 *   throws → 500 "Workflow Webhook Error: Workflow could not be started!"; `noWebhookResponse`
 *   → n8n writes nothing; no `workflowData` → the `webhookResponse` is sent and nothing runs;
 *   otherwise (responseMode onReceived) → 200 `{"message":"Workflow was started"}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { gunzipSync, inflateSync } from 'node:zlib';

import { WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type IDataObject,
	type INode,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { BrightDataScraperStudioTrigger } from '../../nodes/BrightDataScraperStudioTrigger/BrightDataScraperStudioTrigger.node';
import { SECRET_CREDENTIAL_TYPE } from '../../nodes/BrightDataScraperStudioTrigger/secret';
import { API_CREDENTIAL_TYPE, TestCredentialsHelper } from '../harness/workflow';

export const TRIGGER_TYPE = 'n8n-nodes-brightdata-scraper-studio.brightDataScraperStudioTrigger';

const trigger = new BrightDataScraperStudioTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(trigger, 1),
	getKnownTypes: () => ({}),
};

export interface ApiCredential {
	apiToken: string;
	baseUrl: string;
}

/** The trigger's secret credential (Authentication = Header Auth), decrypted. */
export interface SecretCredential {
	secret: string;
	headerName?: string;
}

/** The request object as n8n's body reader leaves it (the parts the node reads). */
export interface N8nRequest {
	headers: Record<string, string | string[] | undefined>;
	contentType?: string;
	body?: unknown;
	rawBody?: Buffer;
	readRawBody: () => Promise<void>;
	readableEnded?: boolean;
	query?: object;
	params?: object;
}

/** Runs the trigger's webhook() for one request in n8n-core's WebhookContext. */
async function callWebhook(
	parameters: INode['parameters'],
	credentials: ApiCredential | undefined,
	request: N8nRequest,
	response: object,
	onRequest?: (request: string) => void,
	secret?: SecretCredential,
): Promise<IWebhookResponseData> {
	const decrypted: Record<string, IDataObject> = {
		...(credentials ? { [API_CREDENTIAL_TYPE]: { ...credentials } } : {}),
		...(secret ? { [SECRET_CREDENTIAL_TYPE]: { ...secret } } : {}),
	};
	const node: INode = {
		id: 'trigger',
		name: 'Bright Data Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f0c1b7e-2f7a-4d5e-9a38-1c1d2f3e4a5b',
		parameters,
		credentials: Object.fromEntries(Object.keys(decrypted).map((type) => [type, { id: `cred-${type}`, name: type }])),
	};
	const workflow = new Workflow({ id: 'wf-1', nodes: [node], connections: {}, active: true, nodeTypes, staticData: {}, settings: { executionOrder: 'v1' } });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(decrypted as never, onRequest),
		httpRequest: request,
		httpResponse: response,
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/webhook`,
		webhookDescription: trigger.description.webhooks![0],
		workflowId: 'wf-1',
		webhookId: node.webhookId,
		workflowExecuteAdditionalData: additionalData,
	};
	const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, 'webhook', webhookData, [], null);
	return await trigger.webhook.call(context);
}

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

function fakeResponse(events: string[]): FakeResponse {
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

export interface FakeRequestOptions {
	parameters?: INode['parameters'];
	/** What getBodyData() returns (n8n's parsed body). */
	body?: unknown;
	/** req.rawBody. */
	raw?: Buffer;
	/** Called by req.readRawBody(), once, when rawBody is missing. */
	lateRaw?: Buffer;
	headers?: Record<string, string>;
	query?: IDataObject;
	/** For the fetch path: the credential. */
	credentials?: ApiCredential;
	/** For Authentication = Header Auth: the secret credential. */
	secret?: SecretCredential;
}

/**
 * Runs webhook() for a request in the form n8n hands it over. `events` lists, in order, the
 * node's answer ("respond 200") and each request it sent ("GET /dca/dataset").
 */
export async function runWebhook(options: FakeRequestOptions = {}) {
	const events: string[] = [];
	const response = fakeResponse(events);
	const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
	let readRawBodyCalls = 0;
	const request: N8nRequest = {
		headers,
		contentType: headers['content-type']?.split(';')[0].trim(),
		body: options.body,
		rawBody: options.raw,
		readableEnded: false,
		query: options.query ?? {},
		params: {},
		async readRawBody() {
			readRawBodyCalls++;
			request.rawBody = options.lateRaw;
		},
	};
	const result = await callWebhook(options.parameters ?? {}, options.credentials, request, response, (sent) => events.push(sent), options.secret);
	const items = result.workflowData?.[0] ?? [];
	return { result, items, rows: items.map(({ json }) => json), response, events, readRawBodyCalls: () => readRawBodyCalls };
}

export interface Handled {
	/** started = the workflow would run; answered = n8n answered, nothing runs; rejected = 4xx before the node; failed = the node threw. */
	outcome: 'started' | 'answered' | 'rejected' | 'failed';
	status?: number;
	result?: IWebhookResponseData;
	error?: Error;
}

export interface N8nHost {
	/** The node's production URL. */
	url: string;
	handled: Handled[];
	/** Resolves once every request received so far is fully handled (webhook() may outlive the answer). */
	settled: () => Promise<void>;
	close: () => Promise<void>;
}

type ServerRequest = IncomingMessage & N8nRequest & { rawBody: Buffer };

export async function startN8nHost(parameters: INode['parameters'], credentials?: ApiCredential, secret?: SecretCredential): Promise<N8nHost> {
	const handled: Handled[] = [];
	const pending = new Set<Promise<void>>();

	async function handle(req: ServerRequest, res: ServerResponse): Promise<void> {
		const answer = (status: number, body: unknown) => {
			res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
			res.end(JSON.stringify(body));
		};
		// rawBodyReader
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const encoding = req.headers['content-encoding'];
		const received = Buffer.concat(chunks);
		req.rawBody = encoding === 'gzip' ? gunzipSync(received) : encoding === 'deflate' ? inflateSync(received) : received;
		req.readRawBody = async () => {};
		req.contentType = req.headers['content-type']?.split(';')[0].trim();
		req.query = Object.fromEntries(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
		req.params = {};
		// parseBody
		try {
			if (req.rawBody.length && req.contentType === 'application/json') req.body = JSON.parse(req.rawBody.toString('utf8'));
			else if (req.rawBody.length && req.contentType === 'text/plain') req.body = req.rawBody.toString('utf8');
			else if (req.rawBody.length && req.contentType === 'application/x-www-form-urlencoded') {
				req.body = parseQueryString(req.rawBody.toString('utf8'), undefined, undefined, { maxKeys: 1000 });
			}
		} catch {
			answer(422, { code: 422, message: 'Failed to parse request body' });
			handled.push({ outcome: 'rejected', status: 422 });
			return;
		}

		let result: IWebhookResponseData;
		try {
			result = await callWebhook(parameters, credentials, req, res, undefined, secret);
		} catch (error) {
			if (!res.headersSent) answer(500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			handled.push({ outcome: 'failed', status: 500, error: error as Error });
			return;
		}
		if (result.noWebhookResponse) {
			handled.push({ outcome: result.workflowData ? 'started' : 'answered', status: res.statusCode, result });
			return;
		}
		if (result.workflowData) answer(200, { message: 'Workflow was started' });
		else answer(200, result.webhookResponse ?? { message: 'Webhook call received' });
		handled.push({ outcome: result.workflowData ? 'started' : 'answered', status: 200, result });
	}

	const server: Server = createServer((req, res) => {
		const run = handle(req as ServerRequest, res).finally(() => pending.delete(run));
		pending.add(run);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/6f0c1b7e-2f7a-4d5e-9a38-1c1d2f3e4a5b/webhook`,
		handled,
		settled: async () => {
			while (pending.size) await Promise.all([...pending]);
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
