import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { isFailedRow, isObject, type Row } from '../shared/rows';
import { findSnapshotId, SNAPSHOT_KEYS, SNAPSHOT_QUERY_PARAMETER } from '../shared/snapshot/id';
import { NOTIFIED_WAIT_SECONDS, pollUntilReady, rowReaderWithin } from '../shared/snapshot/polling';
import { now, secondsToMs } from '../shared/timing';
import { limitsOf, pastLimit, readBody, type Body, type BodyLimits } from './body';
import { hasSecret } from './secret';

/** One request: how the node is set up (its options), and what it has found out so far. */
interface Delivery {
	ctx: IWebhookFunctions;
	event: string;
	options: IDataObject;
	limits: BodyLimits;
	receivedAt: string;
	snapshotId?: string;
	notification?: IDataObject;
}

/** Writes the answer itself, as n8n's Webhook node does (the caller then returns `noWebhookResponse`). */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject, headers = {}): void {
	const response = ctx.getResponseObject();
	response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
	response.end(JSON.stringify(body));
}

const REFUSALS = { 401: 'Unauthorized', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

/** Answers the sender and starts nothing. n8n records no execution, so a 413 or 415 is logged (a 401 is anyone's). */
function refuse(ctx: IWebhookFunctions, status: keyof typeof REFUSALS, message: string) {
	const node = ctx.getNode().name;
	const why = `Bright Data Scraper Studio Trigger "${node}" refused a request (${status}): ${message}`;
	if (status !== 401) ctx.logger?.warn(why);
	const headers = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="Webhook"' } : {};
	answer(ctx, status, { error: REFUSALS[status], message }, headers);
	return { noWebhookResponse: true };
}

/** The snapshot ID and notification, where known: Add Metadata's and the no-rows item's fields. */
const known = ({ snapshotId, notification }: Delivery): IDataObject => ({
	...(snapshotId ? { snapshot_id: snapshotId } : {}),
	...(notification ? { notification } : {}),
});

/** The items to start with; with Add Metadata, each carries `_brightdata`. */
function itemsOf(jsons: IDataObject[], at: Delivery): INodeExecutionData[] {
	const metadata = { event: at.event, received_at: at.receivedAt, ...known(at) };
	const items = at.options.addMetadata
		? jsons.map((json) => ({ ...json, _brightdata: metadata }))
		: jsons;
	return at.ctx.helpers.returnJsonArray(items);
}

/**
 * Starts the workflow with the rows (failed inputs dropped if asked), or with one `count: 0` item if asked; with
 * none, starts nothing and, unless the node has `answered`, n8n answers 200.
 */
function start(rows: Row[], at: Delivery, answered = false): IWebhookResponseData {
	const kept = at.options.failedRows === 'drop' ? rows.filter((row) => !isFailedRow(row)) : rows;
	const empty = !kept.length && at.options.onNoRows === 'item' ? [{ count: 0, ...known(at) }] : [];
	const items = itemsOf(kept.length ? kept : empty, at);
	const workflowData = items.length ? { workflowData: [items] } : undefined;
	if (answered) return { noWebhookResponse: true, ...workflowData };
	return workflowData ?? { webhookResponse: { received: true, rows: 0 } };
}

const FORM_REFUSAL =
	'Form fields are not rows. Send the rows as JSON or NDJSON (Content-Type application/json or application/x-ndjson), or as one form field whose value is JSON. Nothing was started.';

const unreadableRows = (ctx: IWebhookFunctions, why: string): NodeOperationError =>
	new NodeOperationError(ctx.getNode(), 'Could not read the rows Bright Data delivered', {
		description: `${why}. Set the collector's delivery format to JSON or NDJSON.`,
	});

/** A delivery's rows: a JSON array (values that are not objects become `{ value }`), one object, or NDJSON. */
function rowsDelivered(body: Body, at: Delivery): IWebhookResponseData {
	const { ctx, limits } = at;
	if ('form' in body) return refuse(ctx, 415, FORM_REFUSAL);
	if ('invalid' in body) throw unreadableRows(ctx, body.invalid);
	const json = 'json' in body ? body.json : undefined;
	if (Array.isArray(json) && json.length > limits.maxRows)
		return refuse(ctx, 413, `The body ${pastLimit('maxRows', limits)}. Nothing was started.`);
	if (json !== undefined && typeof json !== 'object')
		throw unreadableRows(ctx, `the body is a single JSON ${typeof json}, not rows`);
	const asRow = (entry: unknown): Row =>
		isObject(entry) ? entry : { value: entry as IDataObject[string] };
	const rows = Array.isArray(json) ? json.map(asRow) : isObject(json) ? [json] : [];
	const snapshotId = findSnapshotId(ctx.getQueryData() as IDataObject, undefined)?.snapshotId;
	return start(rows, { ...at, snapshotId });
}

/** A notification as one object: a JSON object, the only object of a one-element array, else what came as `body`. */
function notificationOf(body: Body): IDataObject {
	if ('form' in body) return body.form;
	if ('invalid' in body) return { body: body.text ?? body.invalid };
	const json = 'json' in body ? body.json : undefined;
	if (json === undefined) return {};
	if (isObject(json)) return json;
	if (Array.isArray(json) && json.length === 1 && isObject(json[0])) return json[0];
	return { body: json as IDataObject[string] };
}

/** The snapshot's rows after a brief wait if it is still building; never reads past the limits. */
async function fetchRows({ ctx, snapshotId, limits }: Delivery & { snapshotId: string }) {
	const tooLarge = (limit: keyof BodyLimits): NodeOperationError =>
		new NodeOperationError(ctx.getNode(), `Snapshot "${snapshotId}" ${pastLimit(limit, limits)}`, {
			description:
				"The node stopped downloading it and output no rows. Raise the option if your n8n has the memory, or get the rows with the Bright Data Scraper Studio node's Get Dataset operation and Output: File.",
		});
	// The same schedule as Trigger and Wait, from a first check at once: the job should be done.
	const result = await pollUntilReady(ctx, snapshotId, {
		reader: rowReaderWithin({ ...limits, tooLarge }),
		deadline: now() + secondsToMs(NOTIFIED_WAIT_SECONDS),
		checkAtOnce: true,
	});
	if (result.kind === 'ready') return result.rows;
	const message = `Snapshot "${snapshotId}" is still ${result.status} after the job-finished notification`;
	throw new NodeOperationError(ctx.getNode(), message, {
		description: `The node waited ${NOTIFIED_WAIT_SECONDS} s. Get its rows later with the Bright Data Scraper Studio node's Get Dataset operation and this snapshot ID.`,
	});
}

async function jobFinished(body: Body, at: Delivery): Promise<IWebhookResponseData> {
	const { ctx } = at;
	const notification = notificationOf(body);
	const snapshotId = findSnapshotId(ctx.getQueryData() as IDataObject, notification)?.snapshotId;
	if (!(ctx.getNodeParameter('fetchRows', true) as boolean)) {
		const item = snapshotId ? { ...notification, snapshot_id: snapshotId } : notification;
		return { workflowData: [itemsOf([item], { ...at, snapshotId })] };
	}
	if (!snapshotId) {
		const fields = Object.keys(notification).slice(0, 20).join(', ') || 'none';
		const message = 'The notification names no snapshot ID, so the node cannot fetch its rows';
		throw new NodeOperationError(ctx.getNode(), message, {
			description: `Looked for ?${SNAPSHOT_QUERY_PARAMETER}= in the URL and ${SNAPSHOT_KEYS.join(', ')} in the body (its fields: ${fields}). Turn off Fetch Rows to see what Bright Data sends.`,
		});
	}
	const fetched = { ...at, snapshotId, notification };
	// A failed fetch then fails the webhook: n8n answers 500 and records the failed execution.
	if (at.options.respond === 'afterFetch') return start(await fetchRows(fetched), fetched);
	answer(ctx, 200, { received: true, snapshot_id: snapshotId });
	try {
		return start(await fetchRows(fetched), fetched, true);
	} catch (error) {
		// The answer is already sent (n8n would answer twice): the failure becomes the execution's item.
		const { message, description } = error as NodeOperationError;
		const failure = { error: message, ...(description ? { description } : {}) };
		const items = itemsOf([{ ...failure, snapshot_id: snapshotId, notification }], fetched);
		return { noWebhookResponse: true, workflowData: [items] };
	}
}

/** The trigger's `webhook()`: check the secret, read the body, output rows or the notification. */
export async function handleWebhook(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	// No workflowData: n8n starts no execution (as its Webhook node does for failed auth).
	if (ctx.getNodeParameter('authentication', 'none') === 'headerAuth' && !(await hasSecret(ctx)))
		return refuse(ctx, 401, 'Missing or wrong webhook secret');
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const event = ctx.getNodeParameter('event', 'rowsDelivered') as string;
	const limits = limitsOf(options);
	const at: Delivery = { ctx, event, options, limits, receivedAt: new Date(now()).toISOString() };
	const body = await readBody(ctx, limits);
	if ('tooLarge' in body) return refuse(ctx, 413, body.tooLarge);
	return event === 'jobFinished' ? await jobFinished(body, at) : rowsDelivered(body, at);
}
