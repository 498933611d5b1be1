/**
 * Trigger and Wait with Wait Mode "Resume on Notification" (a wait mode of that operation, so not in
 * the resource's Operation list), both halves:
 *
 * - `execute` (called by Trigger and Wait) starts the jobs with a `notify` webhook that points at
 *   this execution's resume URL and parks the execution in n8n's database, so no worker is held.
 * - `webhook` (the node's webhook()) is Bright Data's call: it checks the call, reads the rows and
 *   resumes the execution with them, shaped as Poll mode shapes them.
 *
 * If no call comes, n8n resumes the execution itself at the wait's end and the node outputs the
 * timed-out item (see `leaveTimedOutItem`).
 */
import { randomBytes } from 'crypto';
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { plural } from '../../../shared/plural';
import { isObject } from '../../../shared/rows';
import { matchesSecretHash, secretHash } from '../../../shared/secret';
import { findSnapshotId, isSnapshotId, MAX_SNAPSHOT_ID_LENGTH } from '../../../shared/snapshot/id';
import { checkSnapshot, NOTIFIED_WAIT_SECONDS, pollUntilReady, type DatasetReader, type Pending } from '../../../shared/snapshot/polling';
import { now, secondsToMs } from '../../../shared/timing';
import { errorAfterTrigger, planJobsFromItems, startJobs } from '../../jobs/trigger';
import type { PlannedInput, TriggeredJob } from '../../jobs/types';
import { itemsOf } from '../../output/items';
import { countsOf, readerForJobs, type FileOrRows } from '../../output/datasetFile';
import { nodeOutputs, shapeReadyJobs, type ReadyJob } from '../../output/shape';
import { DEFAULT_TIMEOUT_SECONDS } from '../../parameters/defaults';
import { readOutputSettings, type OutputSettings, type WaitOptions } from '../../parameters/options';
import { MAX_VALUE_LENGTH } from '../../records/customData';
import { logParked, logResumed } from '../../records/log';

/** Where the wait is remembered: execution custom data survives the wait in n8n's database (10 keys, 255 characters a value). */
const STATE_KEY = 'brightdata_wait';

interface WaitState {
	/** The SHA-256 of the nonce the notify URL carries (secretHash): custom data is shown with the execution. */
	nonceHash: string;
	snapshotIds: string[];
}

/** JSON, so a value cut short (n8n 2.41 keeps up to 512 characters, logging an error above 255) fails to parse. */
const serializeState = ({ nonceHash, snapshotIds }: WaitState): string => JSON.stringify({ nonce_sha256: nonceHash, snapshot_ids: snapshotIds });

/** The length of the longest state of `jobs` jobs: every ID as long as an ID may be. */
const longestState = (jobs: number): number =>
	serializeState({ nonceHash: secretHash(''), snapshotIds: Array<string>(jobs).fill('j'.repeat(MAX_SNAPSHOT_ID_LENGTH)) }).length;
/** How many jobs' state fits one custom data value, known before any job starts (their IDs are not): 1. */
function jobsThatFit(): number {
	let jobs = 0;
	while (longestState(jobs + 1) <= MAX_VALUE_LENGTH) jobs++;
	return jobs;
}
export const MAX_NOTIFIED_JOBS = jobsThatFit();
/** n8n resumes the execution on its own this long after the job's deadline, if no notification came. */
const GRACE_SECONDS = 300;

/** Shown under Trigger and Wait's Wait Mode when it is "Resume on Notification". */
export const properties: INodeProperties[] = [
	{
		displayName: `Bright Data must be able to reach this n8n over the internet: set WEBHOOK_URL to its public address. Bright Data also ends the job when the timeout is reached. If no call comes within the timeout plus ${GRACE_SECONDS / 60} minutes, the node outputs the snapshot IDs with timed_out: true.`,
		name: 'notificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitMode: ['notification'] } },
	},
];

/**
 * The line n8n's editor shows under a waiting node (the node type's `waitingNodeTooltip`, as n8n's
 * send-and-wait nodes have). The editor evaluates it as an expression over the node's parameters
 * (`workflow.expression.getSimpleParameterValue`, in n8n 2.8 and 2.41 alike) and renders the
 * text as HTML, so this function must be self-contained, and "}}" must not appear in its source.
 * It says something only for the one case in which this node waits: Resume on Notification.
 */
function waitingTooltip(
	parameters: { resource?: string; operation?: string; waitMode?: string; options?: { timeout?: unknown } },
	defaultTimeout: number,
	graceMinutes: number,
): string {
	const waits =
		(parameters.resource ?? 'collection') === 'collection' &&
		(parameters.operation ?? 'triggerAndWait') === 'triggerAndWait' &&
		parameters.waitMode === 'notification';
	if (!waits) return '';
	const timeout = parameters.options?.timeout ?? defaultTimeout;
	const limit = typeof timeout === 'number' && timeout > 0 ? `the timeout (${timeout} s)` : 'the Timeout option';
	return (
		`Waiting for Bright Data to call back when the job is done; the execution waits in the database meanwhile. ` +
		`If no call comes within ${limit} plus ${graceMinutes} minutes, the execution continues and this node outputs the snapshot IDs with timed_out: true.`
	);
}

export const waitingNodeTooltip = `={{ (${waitingTooltip})($parameter, ${DEFAULT_TIMEOUT_SECONDS}, ${GRACE_SECONDS / 60}) }}`;

function notifyEndpoint(resumeUrl: string, nodeId: string, nonce: string): string {
	const url = new URL(resumeUrl);
	url.pathname = `${url.pathname.replace(/\/$/, '')}/${encodeURIComponent(nodeId)}`;
	url.searchParams.set('brightdata', nonce);
	return url.toString();
}

/**
 * What the node outputs if no notification ever comes. n8n then resumes the execution at the
 * wait's end with this node disabled (`handleWaitingState` in n8n-core's WorkflowExecute), and a
 * disabled node passes on the first input its execution-stack entry carries (`handleDisabledNode`).
 * That entry is the execute data n8n hands the node (`getExecuteData()`; n8n puts this very object
 * back on the stack when the node waits), so its `data` is pointed at the timed-out item. n8n's own
 * input arrays (`getInputData()`) are not touched. Without this the node would pass its incoming
 * items on, as n8n's Wait and send-and-wait nodes do, and they would pass for rows.
 */
function leaveTimedOutItem(ctx: IExecuteFunctions, started: TriggeredJob[]): void {
	const timedOut: INodeExecutionData = {
		json: {
			snapshot_ids: started.map(({ snapshotId }) => snapshotId),
			ready: false,
			timed_out: true,
			status: 'no notification from Bright Data',
		},
		pairedItem: started.flatMap((job) => itemsOf(job.inputs)).map((item) => ({ item })),
	};
	ctx.getExecuteData().data = { main: [[timedOut]] };
}

/**
 * Every job's dataset when all are ready now (checkSnapshot: the one rule for an empty snapshot),
 * else undefined. Read as Poll mode reads them: one job's File output is written while it downloads.
 */
async function datasetsIfAllReady(ctx: IExecuteFunctions, jobs: TriggeredJob[], settings: OutputSettings): Promise<ReadyJob[] | undefined> {
	const reader = readerForJobs(ctx, settings, jobs.map(({ snapshotId }) => snapshotId));
	const ready: ReadyJob[] = [];
	for (const job of jobs) {
		const dataset = await checkSnapshot(ctx, job.snapshotId, reader);
		if (dataset.kind === 'pending') return undefined;
		ready.push({ job, dataset });
	}
	return ready;
}

/**
 * Items that give no valid input become error items under Continue On Fail (planJobsFromItems),
 * but a parked execution resumes with the webhook's output only: their error items would be lost.
 * So no job starts, and every incoming item gets an error item: its own, or why it was not sent.
 */
function notStartedItems(ctx: IExecuteFunctions, invalidItems: INodeExecutionData[]): INodeExecutionData[] {
	const invalid = new Map(invalidItems.map((item) => [(item.pairedItem as IPairedItemData).item, item]));
	const [firstInvalid] = invalid.keys();
	const error = `Not sent to Bright Data: item ${firstInvalid} is invalid, and Resume on Notification starts the jobs only when every item is valid`;
	const description = 'A waiting execution cannot carry error items over the wait. Fix or filter out the invalid items, or use Wait Mode "Poll", which outputs them as error items and goes on.';
	return ctx.getInputData().map((_, item) => invalid.get(item) ?? { json: { error, description }, pairedItem: { item } });
}

/** Starts the jobs with a notify webhook and parks the execution until Bright Data calls back. */
export async function execute(
	this: IExecuteFunctions,
	{ wait, output: outputSettings }: { wait: WaitOptions; output: OutputSettings },
): Promise<INodeExecutionData[][]> {
	// n8n 2.8 gives nodes no execution custom data, where the wait is remembered: say so before any job starts.
	if (!this.customData) {
		throw new NodeOperationError(this.getNode(), 'Resume on Notification needs a newer n8n', {
			description: 'This n8n gives nodes no execution custom data, where the wait is remembered. Set Wait Mode to "Poll", or update n8n.',
		});
	}
	const { jobs, invalidItems } = await planJobsFromItems(this);
	if (invalidItems.length) return nodeOutputs(outputSettings.failedRows, notStartedItems(this, invalidItems), []);
	if (jobs.some(({ query }) => query.notify)) {
		throw new NodeOperationError(this.getNode(), 'Resume on Notification and Delivery → Notify When Done both want Bright Data\'s notification', {
			description:
				'Bright Data notifies one URL per job, and Resume on Notification needs it to resume this execution. Remove Notify When Done from Delivery, or set Wait Mode to "Poll" to keep your own notification.',
		});
	}
	if (jobs.length > MAX_NOTIFIED_JOBS) {
		const inputs = jobs.reduce((count, job) => count + job.inputs.length, 0);
		throw new NodeOperationError(
			this.getNode(),
			`Resume on Notification waits for at most ${plural(MAX_NOTIFIED_JOBS, 'job')}; this run needs ${jobs.length}`,
			{
				itemIndex: jobs[MAX_NOTIFIED_JOBS].inputs[0].itemIndex,
				description: `The wait is remembered in one execution custom data value of ${MAX_VALUE_LENGTH} characters, which holds ${plural(MAX_NOTIFIED_JOBS, 'snapshot ID')} of up to ${MAX_SNAPSHOT_ID_LENGTH} characters. Set Inputs per Job to ${Math.ceil(inputs / MAX_NOTIFIED_JOBS)} or more for these ${inputs} inputs (items whose collector or options differ start jobs of their own), split the items into several executions, or use Wait Mode "Poll".`,
			},
		);
	}
	const resumeUrl = String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const nonce = randomBytes(16).toString('hex');
	const notify = JSON.stringify({ type: 'webhook', endpoint: notifyEndpoint(resumeUrl, this.getNode().id, nonce) });
	// Bright Data ends the job by the deadline, so a notification comes even for a job that would run too long.
	const deadline = `${Math.ceil(wait.timeoutSeconds)}s`;
	// The wait cannot carry error items to the resume, so a job that cannot start fails the node.
	const withNotify = jobs.map((job) => ({ ...job, query: { deadline, ...job.query, notify } }));
	const { started } = await startJobs(this, withNotify, { stopOnError: true });

	// A notification that comes before the execution is saved as waiting is refused by n8n
	// ("running already"), so jobs that are already done are collected now instead.
	let shaped: Awaited<ReturnType<typeof shapeReadyJobs>> | undefined;
	try {
		const ready = await datasetsIfAllReady(this, started, outputSettings);
		if (ready) shaped = await shapeReadyJobs(this, ready, outputSettings);
	} catch (error) {
		throw errorAfterTrigger(this, error, started.map(({ snapshotId }) => snapshotId));
	}
	if (shaped) return nodeOutputs(outputSettings.failedRows, shaped.main, shaped.failed);

	const state: WaitState = { nonceHash: secretHash(nonce), snapshotIds: started.map(({ snapshotId }) => snapshotId) };
	this.customData.set(STATE_KEY, serializeState(state));
	const until = new Date(now() + secondsToMs(wait.timeoutSeconds + GRACE_SECONDS));
	await this.putExecutionToWait(until);
	logParked(this, state.snapshotIds, until);
	leaveTimedOutItem(this, started);
	// What a waiting node returns is its output only while it waits; n8n's own waiting nodes return their input.
	return [this.getInputData()];
}

/** The wait state as serializeState wrote it; anything else (cut, edited, missing) is no state. */
function readState(ctx: IWebhookFunctions): WaitState | undefined {
	let state: unknown;
	try {
		state = JSON.parse(String(ctx.customData.get(STATE_KEY) ?? ''));
	} catch {
		return undefined;
	}
	if (!isObject(state)) return undefined;
	const { nonce_sha256: nonceHash, snapshot_ids: snapshotIds } = state;
	const valid =
		typeof nonceHash === 'string' &&
		nonceHash.length === secretHash('').length &&
		Array.isArray(snapshotIds) &&
		snapshotIds.length > 0 &&
		snapshotIds.every((id) => typeof id === 'string' && isSnapshotId(id));
	return valid ? { nonceHash, snapshotIds: snapshotIds as string[] } : undefined;
}

/** Answers a call without resuming the execution. */
function answerWithoutResuming(ctx: IWebhookFunctions, status: number, error: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

/**
 * The inputs the incoming items gave, as Trigger and Wait planned them, to put the rows in item
 * order. Webhook functions have no getInputData, and the parked stack entry carries the timed-out
 * item, so the items are read where they came from: `$prevNode` is the node, output and run the
 * waiting node's input came from (the stack entry's source). Empty when that is not possible, or
 * when the inputs came from the Inputs JSON parameter: the rows then keep Bright Data's order.
 */
function plannedInputs(ctx: IWebhookFunctions): PlannedInput[] {
	if (ctx.getNodeParameter('inputSource', 'items') !== 'items') return [];
	// Webhook functions can evaluate expressions (n8n's NodeExecutionContext), though IWebhookFunctions does not declare it.
	const { evaluateExpression } = ctx as unknown as { evaluateExpression?: (expression: string, itemIndex: number) => unknown };
	let items: unknown;
	try {
		items = evaluateExpression?.call(ctx, '{{ $($prevNode.name).all($prevNode.outputIndex, $prevNode.runIndex) }}', 0);
	} catch {
		return [];
	}
	if (!Array.isArray(items)) return [];
	const selected = ctx.getNodeParameter('fieldsToSend', 'all') === 'selected';
	const names = String(ctx.getNodeParameter('inputFields', '')).split(',').map((name) => name.trim()).filter(Boolean);
	return (items as INodeExecutionData[]).map(({ json }, itemIndex) => ({
		itemIndex,
		input: selected ? Object.fromEntries(names.filter((name) => Object.hasOwn(json, name) && json[name] !== undefined).map((name) => [name, json[name]])) : json,
	}));
}

/**
 * The snapshot the notification is about should be ready; if it still builds, it is waited for
 * briefly on the same schedule as Poll mode and the trigger node (pollUntilReady).
 */
async function notifiedDataset(ctx: IWebhookFunctions, snapshotId: string, reader: DatasetReader<FileOrRows>): Promise<FileOrRows | Pending> {
	const result = await pollUntilReady(ctx, snapshotId, { reader, deadline: now() + secondsToMs(NOTIFIED_WAIT_SECONDS), checkAtOnce: true });
	return result.kind === 'timedOut' ? { kind: 'pending', status: result.status } : result;
}

/**
 * Bright Data's notification: check it, and once every snapshot is ready, resume with the rows,
 * read as Poll mode reads them (one snapshot's File output is written while it downloads).
 *
 * The rows are put in the order of the incoming items and given their item links, but n8n does
 * not keep a resumed node's links: it runs the node disabled and renumbers what the webhook
 * returned by position (`addPairedItemLineage` in n8n-core's WorkflowExecute), so each row
 * carries its `input` to match on (README, Waiting).
 */
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = readState(this);
	// Any token (missing, repeated, non-ASCII, huge) is hashed and compared with the stored hash; 401 when wrong.
	const nonce = (this.getQueryData() as IDataObject).brightdata;
	if (!state || !matchesSecretHash(nonce, state.nonceHash)) return answerWithoutResuming(this, 401, 'Invalid token');
	// The same rule and keys as the trigger node: ?snapshot_id=, then collection_id, snapshot_id, id, job_id.
	const named = findSnapshotId(this.getQueryData() as IDataObject, this.getBodyData())?.snapshotId;
	if (named && !state.snapshotIds.includes(named)) return answerWithoutResuming(this, 409, `Snapshot ${named} does not belong to this execution`);

	const settings = readOutputSettings(this, 0, 'separate');
	const reader = readerForJobs(this, settings, state.snapshotIds);
	const datasets: Array<{ snapshotId: string; dataset: FileOrRows }> = [];
	for (const snapshotId of state.snapshotIds) {
		const notified = named === snapshotId || (!named && state.snapshotIds.length === 1);
		const dataset = notified ? await notifiedDataset(this, snapshotId, reader) : await checkSnapshot(this, snapshotId, reader);
		// Several jobs: resume only with the last notification, when every snapshot is ready.
		if (dataset.kind === 'pending') return answerWithoutResuming(this, 202, `Waiting for snapshot ${snapshotId}`);
		datasets.push({ snapshotId, dataset });
	}
	const counts = datasets
		.map(({ dataset }) => countsOf(dataset))
		.reduce((total, next) => ({ rows: total.rows + next.rows, failed: total.failed + next.failed }), { rows: 0, failed: 0 });
	logResumed(this, state.snapshotIds, counts);
	try {
		// Which job an input went to is not remembered over the wait, so every snapshot is paired with all of them.
		const inputs = plannedInputs(this);
		const shaped = await shapeReadyJobs(this, datasets.map(({ snapshotId, dataset }) => ({ job: { snapshotId, inputs }, dataset })), settings);
		return { workflowData: nodeOutputs(settings.failedRows, shaped.main, shaped.failed) };
	} catch (error) {
		throw errorAfterTrigger(this, error, state.snapshotIds);
	}
}
