/**
 * Runs real workflows through n8n-core's WorkflowExecute in this process, with our node and
 * credential loaded: the same engine n8n uses, without a server.
 */
import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IVersionedNodeType,
	type INodeTypes,
	type INodeTypeDescription,
	type IWorkflowBase,
	type IConnections,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type Workflow as WorkflowType,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { BrightDataScraperStudioApi } from '../../credentials/BrightDataScraperStudioApi.credentials';

// The explicit .ts: outside jest (tsx, for the demo and bench), Node's resolution would pick the
// codex file BrightDataScraperStudio.node.json before the .ts source.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BrightDataScraperStudio } = require('../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node.ts') as typeof import('../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node');

export const PACKAGE = 'n8n-nodes-brightdata-scraper-studio';
export const NODE_TYPE = `${PACKAGE}.brightDataScraperStudio`;
export const SOURCE_TYPE = 'test.itemsSource';
export const TEST_TOKEN = 'test-token-7f3a9c';
export const EXECUTION_ID = 'exec-test';
export const WAITING_BASE_URL = 'http://localhost:5678/webhook-waiting';

/** Stands in for a trigger: emits the items given in its `items` parameter. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json, item) => ({ json, pairedItem: { item } }))];
	}
}

/** Stands in for n8n-nodes-base's Manual Trigger (not installed here): one empty item. */
class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts the workflow',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(): Promise<INodeExecutionData[][]> {
		return [[{ json: {} }]];
	}
}

export const LINK_CHECK_TYPE = 'test.linkCheck';

/**
 * Stands in for a Set node after the Scraper: for each item, its row's `input.url`, and each of its
 * parameters (`linked`, `matched`) as n8n evaluates it for that item, e.g. the url of the incoming
 * item the row is linked to, or the expression's error.
 */
class LinkCheck implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Link Check',
		name: 'linkCheck',
		group: ['transform'],
		version: 1,
		description: 'Evaluates expressions per item',
		defaults: { name: 'Link Check' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Linked', name: 'linked', type: 'string', default: '' },
			{ displayName: 'Matched', name: 'matched', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const evaluate = (name: string, item: number): IDataObject[string] => {
			try {
				return this.getNodeParameter(name, item) as IDataObject[string];
			} catch (error) {
				return `error: ${(error as Error).message}`;
			}
		};
		return [
			this.getInputData().map(({ json }, item) => ({
				json: { url: (json.input as IDataObject | undefined)?.url ?? null, linked: evaluate('linked', item), matched: evaluate('matched', item) },
				pairedItem: { item },
			})),
		];
	}
}

const nodeTypeInstances: Record<string, INodeType | IVersionedNodeType> = {
	[NODE_TYPE]: new BrightDataScraperStudio(),
	[SOURCE_TYPE]: new ItemsSource(),
	'n8n-nodes-base.manualTrigger': new ManualTrigger(),
	[LINK_CHECK_TYPE]: new LinkCheck(),
};

/** Adds a node type the harness can run (the bench loads n8n's own HTTP Request node this way). */
export function registerNodeType(type: string, node: INodeType | IVersionedNodeType): void {
	nodeTypeInstances[type] = node;
}

/** The loaded node type of a version (the bench wraps its execute to measure its CPU time). */
export const nodeTypeOf = (type: string, version: number): INodeType => NodeHelpers.getVersionedNodeType(nodeTypeInstances[type], version);

const nodeTypes: INodeTypes = {
	getByName: (type) => nodeTypeInstances[type],
	getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(nodeTypeInstances[type], version),
	getKnownTypes: () => ({}),
};

const credentialType = new BrightDataScraperStudioApi();

export const API_CREDENTIAL_TYPE = 'brightDataScraperStudioApi';

/**
 * Hands out plain test credentials by type (the API credential, plus any delivery credentials a test
 * gives) and applies the API credential's generic `authenticate`, as n8n's CLI does.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly byType: Record<string, ICredentialDataDecryptedObject>,
		/** Told of every authenticated request the node sends (method and path), in order. */
		private readonly onRequest?: (request: string) => void,
		/** Told of every credential n8n decrypts for a node (what a node's getCredentials costs). */
		private readonly onDecrypt?: (type: string) => void,
	) {
		super();
	}

	getParentTypes = () => [];
	isCredentialUsableByNode = () => true;
	getDecrypted = async (_additionalData: unknown, _nodeCredentials: unknown, type: string) => {
		this.onDecrypt?.(type);
		const data = this.byType[type];
		if (!data) throw new Error(`no test credential of type ${type}`);
		return { ...data };
	};

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: WorkflowType,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		if (this.onRequest) this.onRequest(`${requestOptions.method ?? 'GET'} ${new URL(requestOptions.url, requestOptions.baseURL).pathname}`);
		const headers = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(credentialType.authenticate.properties.headers ?? {})) {
			headers[name] = workflow!.expression.getSimpleParameterValue(
				node!,
				value as string,
				'internal',
				{ $credentials: credentials },
				undefined,
				'',
			) as string;
		}
		return { ...requestOptions, headers };
	}

	preAuthentication = async () => undefined;
	runPreAuthentication = async () => undefined;
	getCredentials = async () => ({}) as ICredentials;
	updateCredentials = async () => {};
	updateCredentialsOauthTokenData = async () => {};
	getCredentialsProperties = () => credentialType.properties;
}

export interface WorkflowDefinition {
	nodes: INode[];
	connections: IConnections;
}

export interface RunOptions {
	baseUrl: string;
	token?: string;
	/**
	 * Other credentials by type name (e.g. a delivery credential), decrypted. runScraper also
	 * selects them on the Scraper node.
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Stops the execution this many ms after it starts, like the Stop button. */
	cancelAfterMs?: number;
	/**
	 * Stops the execution as soon as this returns true (checked every 5 ms), like the Stop button
	 * pressed at a known moment: a fixed delay may pass before a busy machine has sent the trigger.
	 */
	cancelWhen?: () => boolean;
	/** Receives what nodes send to the editor (sendMessageToUI), e.g. progress. */
	onMessage?: (node: string, messages: unknown[]) => void;
	/** Told of each authenticated request (method and path) and each credential decrypted (its type). */
	onRequest?: (request: string) => void;
	onCredentialRead?: (type: string) => void;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** Outputs of `nodeName` (one array per output), empty when it did not run. */
	outputOf: (nodeName: string) => INodeExecutionData[][];
	error: IRun['data']['resultData']['error'];
	/** When the execution ended, for cancellation timing. */
	finishedAt: number;
}

/**
 * Stops the execution when `condition` holds and records the requests the node sends after that.
 * Counting at the server cannot tell this: a read sent just before Stop may arrive after it.
 */
export function stopWhen(condition: () => boolean) {
	let stopped = false;
	const sentAfterStop: string[] = [];
	return {
		sentAfterStop,
		options: {
			cancelWhen: () => (stopped ||= condition()),
			onRequest: (request: string) => void (stopped && sentAfterStop.push(request)),
		} satisfies Partial<RunOptions>,
	};
}

/** A workflow and the host services n8n would hand it, as n8n's CLI builds them. */
function prepare(definition: WorkflowDefinition, options: RunOptions, http?: { request: unknown; response: unknown }) {
	const workflowData: IWorkflowBase = {
		id: 'wf-test',
		name: 'test',
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		...definition,
		settings: { executionOrder: 'v1' },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes, staticData: {} });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(
			{
				...options.credentials,
				[API_CREDENTIAL_TYPE]: { apiToken: options.token ?? TEST_TOKEN, baseUrl: options.baseUrl },
			},
			options.onRequest,
			options.onCredentialRead,
		),
		hooks: new ExecutionLifecycleHooks('manual', EXECUTION_ID, workflowData),
		executionId: EXECUTION_ID,
		webhookWaitingBaseUrl: WAITING_BASE_URL,
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		variables: {},
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'test-user',
		httpRequest: http?.request,
		httpResponse: http?.response,
		sendDataToUI: (type: string, data: { source?: string; messages?: unknown[] }) => {
			if (type === 'sendConsoleMessage') options.onMessage?.(data.source ?? '', data.messages ?? []);
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	return { workflow, additionalData };
}

async function finish(execution: ReturnType<WorkflowExecute['run']>, options: RunOptions): Promise<RunResult> {
	const timer = options.cancelAfterMs === undefined ? undefined : setTimeout(() => execution.cancel(), options.cancelAfterMs);
	const { cancelWhen } = options;
	const watch =
		cancelWhen &&
		setInterval(() => {
			if (!cancelWhen()) return;
			clearInterval(watch);
			execution.cancel();
		}, 5);
	const run = await execution;
	const finishedAt = Date.now();
	if (timer) clearTimeout(timer);
	if (watch) clearInterval(watch);
	const runData = run.data.resultData.runData;
	return {
		run,
		status: run.status,
		outputOf: (name) => (runData[name]?.at(-1)?.data?.main ?? []).map((output) => output ?? []),
		error: run.data.resultData.error,
		finishedAt,
	};
}

export async function runWorkflow(definition: WorkflowDefinition, options: RunOptions): Promise<RunResult> {
	const { workflow, additionalData } = prepare(definition, options);
	const startNode = definition.nodes.find((node) => !Object.values(definition.connections).some((c) =>
		c.main?.some((outputs) => outputs?.some((connection) => connection.node === node.name)),
	));
	return await finish(new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode }), options);
}

/** Resumes a waiting execution the way n8n's wait tracker does when its time is up. */
export async function resumeAfterWaitTill(definition: WorkflowDefinition, waiting: IRun, options: RunOptions): Promise<RunResult> {
	const { workflow, additionalData } = prepare(definition, options);
	return await finish(new WorkflowExecute(additionalData, 'manual', waiting.data).processRunExecutionData(workflow), options);
}

export interface WebhookCall {
	query?: Record<string, string>;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface WebhookAnswer {
	/** What the node answered itself (a refusal), if it did. */
	status?: number;
	body?: unknown;
	/** The finished execution, when the call resumed it. */
	resumed?: RunResult;
}

/**
 * Calls the waiting node's resume webhook the way n8n's waiting-webhooks service does: the
 * node's webhook() runs in a real WebhookContext; if it returns data, the node is disabled, its
 * input replaced by that data (all outputs forwarded) and the execution continues.
 */
export async function callResumeWebhook(
	definition: WorkflowDefinition,
	waiting: IRun,
	call: WebhookCall,
	options: RunOptions,
): Promise<WebhookAnswer> {
	const answer: WebhookAnswer = {};
	const response = {
		status(code: number) {
			answer.status = code;
			return response;
		},
		json(body: unknown) {
			answer.body = body;
			return response;
		},
		end() {
			return response;
		},
	};
	const request = { query: call.query ?? {}, body: call.body ?? {}, headers: call.headers ?? {}, params: {} };
	const { workflow, additionalData } = prepare(definition, options, { request, response });
	const data = waiting.data;
	const stackEntry = data.executionData!.nodeExecutionStack[0];
	const node = workflow.getNode(stackEntry.node.name)!;
	const webhookData = { httpMethod: 'POST', node: node.name, path: node.id, webhookDescription: {}, workflowId: workflow.id };
	const context = new WebhookContext(workflow, node, additionalData, 'manual', webhookData as never, [], data);
	const result = await nodeTypes.getByNameAndVersion(node.type, node.typeVersion).webhook!.call(context);
	if (result.workflowData === undefined) return answer;

	stackEntry.node.disabled = true;
	stackEntry.data.main = result.workflowData;
	stackEntry.metadata = { ...stackEntry.metadata, forwardAllOutputs: true };
	data.waitTill = undefined;
	data.resultData.runData[node.name].pop();
	answer.resumed = await finish(new WorkflowExecute(additionalData, 'manual', data).processRunExecutionData(workflow), options);
	return answer;
}

export const SCRAPER = 'Scraper';

const scraperCredentials: INode['credentials'] = { [API_CREDENTIAL_TYPE]: { id: 'cred-1', name: 'Bright Data test' } };

/** Items Source → Bright Data Scraper Studio, with the given parameters and incoming items. */
export function scraperWorkflow(
	parameters: INode['parameters'],
	items: IDataObject[] = [{}],
	nodeSettings: Partial<INode> = {},
): WorkflowDefinition {
	return {
		nodes: [
			{
				id: 'source',
				name: 'Source',
				type: SOURCE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(items) },
			},
			{
				id: 'scraper',
				name: SCRAPER,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [200, 0],
				parameters,
				credentials: scraperCredentials,
				...nodeSettings,
			},
		],
		connections: { Source: { main: [[{ node: SCRAPER, type: 'main', index: 0 }]] } },
	};
}

/** Runs Items Source → Scraper and returns the scraper's first output as plain JSON, plus the run. */
export async function runScraper(
	parameters: INode['parameters'],
	items: IDataObject[],
	options: RunOptions & { continueOnFail?: boolean },
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const settings: Partial<INode> = {
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const extra = Object.keys(options.credentials ?? {});
	if (extra.length) settings.credentials = { ...scraperCredentials, ...Object.fromEntries(extra.map((type) => [type, { id: `cred-${type}`, name: `Test ${type}` }])) };
	const result = await runWorkflow(scraperWorkflow(parameters, items, settings), options);
	return { ...result, items: result.outputOf(SCRAPER)[0] ?? [] };
}
