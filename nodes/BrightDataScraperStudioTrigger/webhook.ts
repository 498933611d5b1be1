import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { isFailedRow, type Row } from '../shared/rows';
import { findSnapshotId, SNAPSHOT_KEYS, SNAPSHOT_QUERY_PARAMETER } from '../shared/snapshot/id';
import { NOTIFIED_WAIT_SECONDS, pollUntilReady, rowReaderWithin } from '../shared/snapshot/polling';
import { now, secondsToMs } from '../shared/timing';
import type { TriggerAuthentication, TriggerEvent, WebhookOptions } from './description';
import {
	DEFAULT_LIMITS,
	MEGABYTE,
	notificationFromBody,
	readRequestBody,
	refusalOf,
	rowsFromBody,
	size,
	type BodyContent,
	type BodyLimits,
	type Refusal,
} from './request/body';
import { requestHasSecret, SECRET_CREDENTIAL_TYPE, sharedSecretOf } from './request/secret';

/** The parts of n8n's request object (express + n8n's raw-body reader) the node reads. */
interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	/** The media type without parameters, set by n8n's body reader. */
	contentType?: string;
	rawBody?: Uint8Array;
	readRawBody?: () => Promise<void>;
	readableEnded?: boolean;
}

/** The parts of the response object the node writes, as n8n's Webhook node does. */
interface WebhookResponse {
	writeHead(statusCode: number, headers?: Record<string, string>): unknown;
	end(body?: string): unknown;
}

function sendJson(response: WebhookResponse, statusCode: number, body: IDataObject, headers: Record<string, string> = {}): void {
	response.writeHead(statusCode, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	response.end(JSON.stringify(body));
}

const headerText = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value.join(', ') : value);

async function readBody(ctx: IWebhookFunctions, limits: BodyLimits): Promise<BodyContent> {
	const request = ctx.getRequestObject() as unknown as WebhookRequest;
	const contentType = request.contentType ?? headerText(request.headers['content-type'])?.split(';')[0].trim();
	const parsed = ctx.getBodyData() as unknown;
	// n8n has usually read (and inflated) the raw bytes before `webhook()`; else read them now, as its Webhook node does.
	const multipart = request.contentType?.startsWith('multipart/') ?? false;
	if (!request.rawBody && !multipart && !request.readableEnded && typeof request.readRawBody === 'function') {
		await request.readRawBody();
	}
	const contentEncoding = headerText(request.headers['content-encoding']);
	return await readRequestBody({ parsed, raw: request.rawBody, contentEncoding, contentType }, limits);
}

/** A positive number from an option, else the default (an expression may give anything). */
const positive = (value: unknown, fallback: number): number =>
	typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;

function limitsOf(options: WebhookOptions): BodyLimits {
	return {
		maxBytes: Math.floor(positive(options.maxBodyMb, DEFAULT_LIMITS.maxBytes / MEGABYTE) * MEGABYTE),
		maxRows: Math.floor(positive(options.maxRows, DEFAULT_LIMITS.maxRows)),
	};
}

/** Answers the sender with the refusal and starts nothing; n8n records no execution, so it is also logged. */
function refuse(ctx: IWebhookFunctions, refusal: Refusal): IWebhookResponseData {
	ctx.logger?.warn(`Bright Data Scraper Studio Trigger "${ctx.getNode().name}" refused a request (${refusal.status}): ${refusal.message}`);
	sendJson(ctx.getResponseObject(), refusal.status, { error: refusal.error, message: refusal.message });
	return { noWebhookResponse: true };
}

interface Context {
	event: TriggerEvent;
	options: WebhookOptions;
	receivedAt: string;
	snapshotId?: string;
	notification?: IDataObject;
}

function metadata({ event, receivedAt, snapshotId, notification }: Context): IDataObject {
	return {
		event,
		...(snapshotId ? { snapshot_id: snapshotId } : {}),
		received_at: receivedAt,
		...(notification ? { notification } : {}),
	};
}

/** Rows as items: failed inputs dropped if asked, `_brightdata` added if asked, the no-rows policy applied. */
function rowItems(ctx: IWebhookFunctions, rows: Row[], context: Context): INodeExecutionData[] {
	const kept = context.options.failedRows === 'drop' ? rows.filter((row) => !isFailedRow(row)) : rows;
	if (kept.length === 0) {
		if (context.options.onNoRows !== 'item') return [];
		const empty: IDataObject = {
			count: 0,
			...(context.snapshotId ? { snapshot_id: context.snapshotId } : {}),
			...(context.notification ? { notification: context.notification } : {}),
		};
		return ctx.helpers.returnJsonArray([context.options.addMetadata ? { ...empty, _brightdata: metadata(context) } : empty]);
	}
	const meta = context.options.addMetadata ? metadata(context) : undefined;
	return ctx.helpers.returnJsonArray(meta ? kept.map((row) => ({ ...row, _brightdata: meta })) : kept);
}

/** Starts the workflow with the items; with none, answers 200 and starts nothing. */
function start(items: INodeExecutionData[], alreadyAnswered: boolean): IWebhookResponseData {
	if (alreadyAnswered) return items.length ? { noWebhookResponse: true, workflowData: [items] } : { noWebhookResponse: true };
	return items.length ? { workflowData: [items] } : { webhookResponse: { received: true, rows: 0 } };
}

/** The error for a fetched dataset past Max Body Size or Max Rows: the node stopped downloading there. */
function tooLargeToFetch(ctx: IWebhookFunctions, snapshotId: string, limit: 'maxBytes' | 'maxRows', limits: BodyLimits): NodeOperationError {
	const what =
		limit === 'maxBytes'
			? `is larger than ${size(limits.maxBytes)}, the limit set in the trigger node's "Max Body Size (MB)" option`
			: `holds more than ${limits.maxRows.toLocaleString('en-US')} rows, the limit set in the trigger node's "Max Rows" option`;
	return new NodeOperationError(ctx.getNode(), `Snapshot "${snapshotId}" ${what}`, {
		description:
			'The node stopped downloading it and output no rows. Raise the option if your n8n has the memory, or get the rows with the Bright Data Scraper Studio node\'s Get Dataset operation and Output: File.',
	});
}

/** Waits briefly for a snapshot that is still building, then gives up with an error naming it; never reads past `limits`. */
async function fetchReadyRows(ctx: IWebhookFunctions, snapshotId: string, limits: BodyLimits): Promise<Row[]> {
	// The same schedule as Trigger and Wait, from a first check at once: the job should be done.
	const result = await pollUntilReady(ctx, snapshotId, {
		reader: rowReaderWithin({ ...limits, tooLarge: (limit) => tooLargeToFetch(ctx, snapshotId, limit, limits) }),
		deadline: now() + secondsToMs(NOTIFIED_WAIT_SECONDS),
		checkAtOnce: true,
	});
	if (result.kind === 'ready') return result.rows;
	throw new NodeOperationError(ctx.getNode(), `Snapshot "${snapshotId}" is still ${result.status} after the job-finished notification`, {
		description: `The node waited ${NOTIFIED_WAIT_SECONDS} s. Get its rows later with the Bright Data Scraper Studio node's Get Dataset operation and this snapshot ID.`,
	});
}

function errorDetails(error: unknown): IDataObject {
	const { message, description } = error as { message?: unknown; description?: unknown };
	return {
		error: typeof message === 'string' ? message : String(error),
		...(typeof description === 'string' && description ? { description } : {}),
	};
}

async function jobFinished(ctx: IWebhookFunctions, body: BodyContent, context: Context, limits: BodyLimits): Promise<IWebhookResponseData> {
	const notification = notificationFromBody(body);
	const found = findSnapshotId(ctx.getQueryData() as IDataObject, notification);
	const fetchRows = ctx.getNodeParameter('fetchRows', true) as boolean;

	if (!fetchRows) {
		const item = found ? { ...notification, snapshot_id: found.snapshotId } : notification;
		const withMeta = context.options.addMetadata ? { ...item, _brightdata: metadata({ ...context, snapshotId: found?.snapshotId }) } : item;
		return { workflowData: [ctx.helpers.returnJsonArray([withMeta])] };
	}

	if (!found) {
		const keys = Object.keys(notification);
		throw new NodeOperationError(ctx.getNode(), 'The notification names no snapshot ID, so the node cannot fetch its rows', {
			description: `Looked for ?${SNAPSHOT_QUERY_PARAMETER}= in the URL and ${SNAPSHOT_KEYS.join(', ')} in the body (its fields: ${keys.length ? keys.slice(0, 20).join(', ') : 'none'}). Turn off Fetch Rows to see what Bright Data sends.`,
		});
	}

	const { snapshotId } = found;
	const fetched = { ...context, snapshotId, notification };
	if (context.options.respond === 'afterFetch') {
		// A failed fetch fails the webhook: n8n answers 500 and records the failed execution.
		return start(rowItems(ctx, await fetchReadyRows(ctx, snapshotId, limits), fetched), false);
	}

	sendJson(ctx.getResponseObject(), 200, { received: true, snapshot_id: snapshotId });
	let rows: Row[];
	try {
		rows = await fetchReadyRows(ctx, snapshotId, limits);
	} catch (error) {
		// The answer is already sent (n8n would answer twice): the failure becomes the execution's item.
		const item: IDataObject = { ...errorDetails(error), snapshot_id: snapshotId, notification };
		return start(ctx.helpers.returnJsonArray([context.options.addMetadata ? { ...item, _brightdata: metadata(fetched) } : item]), true);
	}
	return start(rowItems(ctx, rows, fetched), true);
}

function rowsDelivered(ctx: IWebhookFunctions, body: BodyContent, context: Context, limits: BodyLimits): IWebhookResponseData {
	const result = rowsFromBody(body, limits.maxRows);
	if ('refused' in result) return refuse(ctx, result.refused);
	if ('invalid' in result) {
		throw new NodeOperationError(ctx.getNode(), 'Could not read the rows Bright Data delivered', {
			description: `${result.invalid}. Set the collector's delivery format to JSON or NDJSON.`,
		});
	}
	const snapshotId = findSnapshotId(ctx.getQueryData() as IDataObject, undefined)?.snapshotId;
	return start(rowItems(ctx, result.rows, { ...context, snapshotId }), false);
}

/** Whether the request may start the workflow: with Header Auth, it carries the credential's secret. */
async function isAuthorized(ctx: IWebhookFunctions): Promise<boolean> {
	if ((ctx.getNodeParameter('authentication', 'none') as TriggerAuthentication) !== 'headerAuth') return true;
	const { secret, headerName, problems } = sharedSecretOf(await ctx.getCredentials(SECRET_CREDENTIAL_TYPE));
	// A credential that cannot match fails the webhook (n8n answers 500) rather than letting everyone in.
	if (problems.length) throw new NodeOperationError(ctx.getNode(), `The trigger's secret credential is not usable: ${problems.join('; ')}`);
	return requestHasSecret(ctx.getHeaderData(), secret, headerName);
}

/** The trigger's `webhook()`: check the secret, read the body, output rows or the notification. */
export async function handleWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const options = ctx.getNodeParameter('options', {}) as WebhookOptions;
	if (!(await isAuthorized(ctx))) {
		// Answered here and no workflowData: n8n starts no execution (as its Webhook node does for failed auth).
		sendJson(ctx.getResponseObject(), 401, { error: 'Unauthorized', message: 'Missing or wrong webhook secret' }, {
			'WWW-Authenticate': 'Bearer realm="Webhook"',
		});
		return { noWebhookResponse: true };
	}

	const event = ctx.getNodeParameter('event', 'rowsDelivered') as TriggerEvent;
	const context: Context = { event, options, receivedAt: new Date(now()).toISOString() };
	const limits = limitsOf(options);
	const body = await readBody(ctx, limits);
	const refusal = refusalOf(body);
	if (refusal) return refuse(ctx, refusal);
	return event === 'jobFinished' ? await jobFinished(ctx, body, context, limits) : rowsDelivered(ctx, body, context, limits);
}
