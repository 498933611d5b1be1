/**
 * Trigger and Wait with "Resume on Notification": the jobs are triggered with a `notify`
 * webhook that points at this execution's resume URL, and the execution waits in n8n's
 * database instead of holding a worker. Bright Data's call resumes it through `webhook()`,
 * which checks the call, downloads the rows and outputs them as the poll mode would.
 */
import { randomBytes } from 'crypto';

import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { sameSecret } from '../../helpers/constantTime';
import { itemsOf } from '../../helpers/items';
import { errorAfterTrigger, mentionStartedJobs, planJobsFromItems, triggerJob } from '../../helpers/jobs';
import { readOutputSettings, type OutputSettings, type WaitOptions } from '../../helpers/options';
import { logParked, logResumed } from '../../helpers/log';
import { isFailedRow, shapeJobRows, shapeOutput } from '../../helpers/output';
import { inputKey, type PairedRow } from '../../helpers/pairing';
import { fetchDataset, NOTIFIED_WAIT_SECONDS, pollUntilReady, rowReader, type ReadyOrPending } from '../../helpers/polling';
import { now, secondsToMs } from '../../helpers/timing';
import type { Row, TriggeredJob } from '../../helpers/types';

/** Where the wait is remembered: execution custom data survives the wait in n8n's database (10 keys, 512 characters). */
const STATE_KEY = 'brightdata_wait';
/** The snapshot IDs must fit the custom data value. */
export const MAX_NOTIFIED_JOBS = 15;
/** n8n resumes the execution on its own this long after the job's deadline, if no notification came. */
const GRACE_SECONDS = 300;

interface WaitState {
	/** The nonce the notify URL carries. */
	nonce: string;
	snapshotIds: string[];
}

function notifyEndpoint(resumeUrl: string, nodeId: string, nonce: string): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(nodeId)}`;
	url.searchParams.set('brightdata', nonce);
	return url.toString();
}

/** Triggers the jobs with a notify webhook and parks the execution until Bright Data calls back. */
export async function triggerAndWaitForNotification(
	this: IExecuteFunctions,
	wait: WaitOptions,
	outputSettings: OutputSettings,
): Promise<INodeExecutionData[][]> {
	const { jobs } = await planJobsFromItems(this);
	if (jobs.length > MAX_NOTIFIED_JOBS) {
		throw new NodeOperationError(this.getNode(), `Resume on Notification waits for at most ${MAX_NOTIFIED_JOBS} jobs; this run needs ${jobs.length}`, {
			description: 'Raise Inputs per Job, split the items into several executions, or use Wait Mode "Poll".',
		});
	}
	const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const nonce = randomBytes(16).toString('hex');
	const notify = JSON.stringify({ type: 'webhook', endpoint: notifyEndpoint(resumeUrl, this.getNode().id, nonce) });
	// Bright Data ends the job by the deadline, so a notification comes even for a job that would run too long.
	const deadline = `${Math.ceil(wait.timeoutSeconds)}s`;

	const started: TriggeredJob[] = [];
	for (const job of jobs) {
		try {
			started.push(await triggerJob(this, { ...job, query: { deadline, ...job.query, notify } }));
		} catch (error) {
			throw mentionStartedJobs(error as Error, started);
		}
	}
	// A notification that comes before the execution is saved as waiting is refused by n8n
	// ("running already"), so jobs that are already done are collected now instead.
	let ready: Awaited<ReturnType<typeof rowsIfAllReady>>;
	let shaped: Awaited<ReturnType<typeof shapeJobRows>> | undefined;
	try {
		ready = await rowsIfAllReady(this, started);
		if (ready) shaped = await shapeJobRows(this, ready, outputSettings);
	} catch (error) {
		throw errorAfterTrigger(this, error, started.map(({ snapshotId }) => snapshotId));
	}
	if (shaped) return outputSettings.failedRows === 'separate' ? [shaped.main, shaped.failed] : [shaped.main];

	const state: WaitState = { nonce, snapshotIds: started.map(({ snapshotId }) => snapshotId) };
	this.customData.set(STATE_KEY, JSON.stringify(state));
	const until = new Date(now() + secondsToMs(wait.timeoutSeconds + GRACE_SECONDS));
	await this.putExecutionToWait(until);
	logParked(this, state.snapshotIds, until);

	// If no notification ever comes, n8n resumes the node by passing its input on. Replace that
	// input with what the "Output the Snapshot ID" policy gives, so no one mistakes it for rows.
	const input = this.getInputData();
	input.splice(0, input.length, {
		json: {
			snapshot_ids: state.snapshotIds,
			ready: false,
			timed_out: true,
			status: 'no notification from Bright Data',
		},
		pairedItem: started.flatMap((job) => itemsOf(job.inputs)).map((item) => ({ item })),
	});
	return [input];
}

/** Every job's rows when all are ready now, else undefined. */
async function rowsIfAllReady(ctx: IExecuteFunctions, jobs: TriggeredJob[]): Promise<Array<{ job: TriggeredJob; rows: Row[] }> | undefined> {
	const ready: Array<{ job: TriggeredJob; rows: Row[] }> = [];
	for (const job of jobs) {
		const dataset = await fetchDataset(ctx, job.snapshotId, rowReader);
		if (dataset.kind === 'pending' || !dataset.rows.length) return undefined;
		ready.push({ job, rows: dataset.rows });
	}
	return ready;
}

function readState(ctx: IWebhookFunctions): WaitState | undefined {
	try {
		const state = JSON.parse(String(ctx.customData.get(STATE_KEY) ?? '')) as WaitState;
		return typeof state?.nonce === 'string' && Array.isArray(state.snapshotIds) ? state : undefined;
	} catch {
		return undefined;
	}
}

/** The snapshot a notification names, if its (undocumented) body names one. */
function notifiedSnapshot(body: IDataObject): string | undefined {
	for (const key of ['collection_id', 'snapshot_id', 'job_id', 'id']) {
		if (typeof body[key] === 'string' && body[key]) return body[key] as string;
	}
	return undefined;
}

/** Answers a call without resuming the execution. */
function answerWithoutResuming(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

/**
 * The items the node received before it waited. Webhook functions have no getInputData, and
 * the waiting node's own input was replaced by the timeout marker, so they are read from the
 * one node before it, through an expression. Empty when that is not possible.
 */
function incomingItems(ctx: IWebhookFunctions): INodeExecutionData[] {
	const { evaluateExpression } = ctx as unknown as { evaluateExpression?: (expression: string, itemIndex: number) => unknown };
	const parents = ctx.getParentNodes(ctx.getNode().name, { depth: 1 });
	if (typeof evaluateExpression !== 'function' || parents.length !== 1) return [];
	const items = evaluateExpression.call(ctx, `{{ $(${JSON.stringify(parents[0].name)}).all() }}`, 0);
	return Array.isArray(items) ? (items as INodeExecutionData[]) : [];
}

/**
 * Orders rows like the incoming items and links them by their echoed input, as poll mode does.
 * (n8n renumbers a resumed node's item links by position, so only the order survives the resume.)
 */
function pairToIncomingItems(ctx: IWebhookFunctions, rows: Row[]): PairedRow[] {
	const items = incomingItems(ctx);
	const selected = ctx.getNodeParameter('fieldsToSend', 'all') === 'selected';
	const fields = String(ctx.getNodeParameter('inputFields', '')).split(',').map((name) => name.trim()).filter(Boolean);
	const itemByKey = new Map<string, number>();
	items.forEach(({ json }, item) => {
		const input = selected ? Object.fromEntries(fields.filter((name) => json[name] !== undefined).map((name) => [name, json[name]])) : json;
		const key = inputKey(input);
		if (!itemByKey.has(key)) itemByKey.set(key, item);
	});
	const everyItem = items.map((_, item) => ({ item }));
	return rows
		.map((row): PairedRow => {
			const item = itemByKey.get(inputKey(row.input)) ?? (items.length === 1 ? 0 : undefined);
			return item === undefined ? { row, pairedItem: everyItem, order: 0 } : { row, pairedItem: { item }, order: item };
		})
		.sort((a, b) => a.order - b.order);
}

/**
 * The snapshot the notification is about should be ready; if it still builds, it is waited for
 * briefly on the same schedule as Poll mode and the trigger node (pollUntilReady).
 */
async function notifiedDataset(ctx: IWebhookFunctions, snapshotId: string): Promise<ReadyOrPending> {
	const result = await pollUntilReady(ctx, snapshotId, {
		reader: rowReader,
		deadline: now() + secondsToMs(NOTIFIED_WAIT_SECONDS),
		checkAtOnce: true,
	});
	return result.kind === 'ready' ? { kind: 'ready', rows: result.rows } : { kind: 'pending', status: result.status };
}

/** Bright Data's notification: check it, and once every snapshot is ready, resume with the rows. */
export async function resumeOnNotification(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = readState(this);
	// Any token (missing, repeated, non-ASCII, huge) is compared on hashes and answers 401 when wrong.
	const nonce = (this.getQueryData() as IDataObject).brightdata;
	if (!state || !sameSecret(nonce, state.nonce)) return answerWithoutResuming(this, 401, 'Invalid token');
	const named = notifiedSnapshot(this.getBodyData());
	if (named && !state.snapshotIds.includes(named)) return answerWithoutResuming(this, 409, `Snapshot ${named} does not belong to this execution`);

	const rows: Row[] = [];
	for (const snapshotId of state.snapshotIds) {
		const notified = named === snapshotId || (!named && state.snapshotIds.length === 1);
		const dataset = notified ? await notifiedDataset(this, snapshotId) : await fetchDataset(this, snapshotId, rowReader);
		// Several jobs: resume only with the last notification, when every snapshot is ready.
		if (dataset.kind === 'pending') return answerWithoutResuming(this, 202, `Waiting for snapshot ${snapshotId}`);
		rows.push(...dataset.rows);
	}
	logResumed(this, state.snapshotIds, { rows: rows.length, failed: rows.filter(isFailedRow).length });
	const settings = readOutputSettings(this, 0, 'separate');
	try {
		const paired = pairToIncomingItems(this, rows);
		const shaped = await shapeOutput(this, paired, settings, {
			snapshotIds: state.snapshotIds,
			pairedItem: [...new Set(paired.flatMap(({ pairedItem }) => (Array.isArray(pairedItem) ? pairedItem : [pairedItem])).map(({ item }) => item))].map((item) => ({ item })),
		});
		return { workflowData: settings.failedRows === 'separate' ? [shaped.main, shaped.failed] : [shaped.main] };
	} catch (error) {
		throw errorAfterTrigger(this, error, state.snapshotIds);
	}
}
