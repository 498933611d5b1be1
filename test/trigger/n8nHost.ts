/**
 * A tiny stand-in for n8n's webhook server (not a test file itself): a real HTTP server on
 * 127.0.0.1 that prepares the request as n8n does for a version-1 webhook node, runs the
 * trigger's webhook() inside n8n-core's own WebhookContext, and answers as n8n does.
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
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { gunzipSync, inflateSync } from 'node:zlib';

import { WebhookContext } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IHttpRequestOptions,
	type INode,
	type INodeTypes,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { BrightDataScraperStudioTrigger } from '../../nodes/BrightDataScraperStudioTrigger/BrightDataScraperStudioTrigger.node';
import { TRIGGER_TYPE } from './context';

const trigger = new BrightDataScraperStudioTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(trigger, 1),
	getKnownTypes: () => ({}),
};

/** Plain test credentials, with the credential's Bearer header applied as n8n's CLI does. */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes = () => [];
	isCredentialUsableByNode = () => true;
	getDecrypted = async () => ({ ...this.data });
	async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.apiToken)}` } };
	}
	preAuthentication = async () => undefined;
	runPreAuthentication = async () => undefined;
	getCredentials = async () => ({}) as ICredentials;
	updateCredentials = async () => {};
	updateCredentialsOauthTokenData = async () => {};
	getCredentialsProperties = () => [];
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

type N8nRequest = IncomingMessage & { rawBody: Buffer; readRawBody: () => Promise<void>; contentType?: string; body?: unknown; query?: object; params?: object };

export async function startN8nHost(parameters: INode['parameters'], credentials?: { apiToken: string; baseUrl: string }): Promise<N8nHost> {
	const node: INode = {
		id: 'trigger',
		name: 'Bright Data Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: '6f0c1b7e-2f7a-4d5e-9a38-1c1d2f3e4a5b',
		parameters,
		...(credentials ? { credentials: { brightDataScraperStudioApi: { id: 'cred-1', name: 'Bright Data' } } } : {}),
	};
	const handled: Handled[] = [];
	const pending = new Set<Promise<void>>();

	async function handle(req: N8nRequest, res: import('node:http').ServerResponse): Promise<void> {
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

		const workflow = new Workflow({ id: 'wf-1', nodes: [node], connections: {}, active: true, nodeTypes, staticData: {}, settings: { executionOrder: 'v1' } });
		const additionalData = {
			credentialsHelper: new CredentialsHelper({ ...credentials }),
			httpRequest: req,
			httpResponse: res,
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

		let result: IWebhookResponseData;
		try {
			result = await trigger.webhook.call(context);
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
		const run = handle(req as N8nRequest, res).finally(() => pending.delete(run));
		pending.add(run);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/${node.webhookId}/webhook`,
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
