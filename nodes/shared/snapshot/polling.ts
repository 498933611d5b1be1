import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { now, secondsToMs, sleepUnlessCancelled, timing } from '../timing';
import {
	apiRequest,
	cancelSignal,
	throwIfCancelled,
	type ApiResponse,
	type RequestContext,
} from '../transport';
import { asNodeError, LateAnswerError } from '../transport/errors';
import { readDatasetStream, type DatasetLimits, type DatasetState } from './dataset';
import { fetchJobLog } from './jobLog';
import { DEFAULT_POLL_INTERVAL_SECONDS, MIN_POLL_GAP_SECONDS, PollSchedule } from './pollSchedule';

export { MIN_POLL_GAP_SECONDS } from './pollSchedule';

export type ReadyRows = Extract<DatasetState, { kind: 'ready' }>;
export type Pending = Extract<DatasetState, { kind: 'pending' }>;
type NotReady = Exclude<DatasetState, { kind: 'ready' }>;

/** A GET /dca/dataset answer as a reader gets it; its body still ends at the request's deadline. */
export type DatasetAnswer = Pick<ApiResponse, 'statusCode' | 'toReadable'> & {
	stream: AsyncIterable<Uint8Array>;
};

/**
 * How a dataset answer is read: into rows (rowReader), or, for the File output, into a file while
 * it downloads (the action node's output/datasetFile.ts), so the answer that says "ready" is the one that fills the file.
 */
export interface DatasetReader<Ready extends { kind: 'ready' }> {
	read(answer: DatasetAnswer): Promise<Ready | NotReady>;
	/** A ready answer without rows: the job log then tells "finished empty" from "not ready yet". */
	isEmpty(ready: Ready): boolean;
}

/** Rows in memory; a dataset past `limits` throws its `tooLarge` error (the trigger node's Fetch Rows). */
export const rowReaderWithin = (limits?: DatasetLimits): DatasetReader<ReadyRows> => ({
	read: ({ statusCode, stream }) => readDatasetStream(statusCode, stream, limits),
	isEmpty: ({ rows }) => !rows.length,
});

export const rowReader = rowReaderWithin();

/**
 * How long a snapshot Bright Data has notified as done may still build (it notifies after
 * delivery, so it should be ready at once): the trigger node and Resume on Notification wait this long.
 */
export const NOTIFIED_WAIT_SECONDS = 30;

/** An unreadable dataset body (a torn download) is fetched again this many times: the read is idempotent. */
const INVALID_BODY_RETRIES = 2;

/**
 * One GET /dca/dataset, read by `reader`: asks for JSON, still accepts NDJSON; a torn body is
 * fetched again. With a `deadline` (epoch ms), the download ends there with a LateAnswerError.
 */
export async function fetchDataset<Ready extends { kind: 'ready' }>(
	ctx: RequestContext,
	snapshotId: string,
	reader: DatasetReader<Ready>,
	itemIndex?: number,
	deadline?: number,
): Promise<Ready | Pending> {
	for (let attempt = 0; ; attempt++) {
		const response = await apiRequest.call(ctx, {
			method: 'GET',
			path: '/dca/dataset',
			qs: { id: snapshotId, format: 'json' },
			retry: 'idempotent',
			subject: { snapshotId, itemIndex },
			stream: true,
			deadline,
		});
		const state = await reader.read({
			statusCode: response.statusCode,
			stream: response.stream!,
			toReadable: response.toReadable,
		});
		if (state.kind !== 'invalid') return state;
		if (state.late) throw state.late;
		if (attempt < INVALID_BODY_RETRIES) {
			await sleepUnlessCancelled(secondsToMs(MIN_POLL_GAP_SECONDS), cancelSignal(ctx));
			continue;
		}
		throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode } as JsonObject, {
			message: `Bright Data sent an unreadable dataset for snapshot "${snapshotId}"`,
			description: `${state.reason}, ${attempt + 1} times. Run Get Dataset later with this snapshot ID, or download it from the control panel.`,
			itemIndex,
		});
	}
}

/** How long and how a wait goes, whatever it waits for. */
export interface WaitSettings {
	/** The Poll Interval option (default 5 s): the gap between checks when Bright Data gives no hint. */
	intervalSeconds?: number;
	/** Epoch ms after which the node stops waiting. */
	deadline: number;
	/** When the job was triggered (default: now). */
	startedAt?: number;
	/** The trigger's start_eta, if it sent one. */
	startEta?: string;
	/** Check at once: Bright Data said the job is done (its notification). */
	checkAtOnce?: boolean;
	/** Called after every poll that found the snapshot not ready yet. */
	onPending?: (state: Pending) => void;
}

export interface PollOptions<Ready extends { kind: 'ready' }> extends WaitSettings {
	/** How a ready dataset is read: rowReader, or the File output's (the action node's output/datasetFile.ts). */
	reader: DatasetReader<Ready>;
	itemIndex?: number;
}

/** What the loop waits for: one look at it. */
export interface Probe<Ready extends { kind: 'ready' }> {
	check(deadline: number): Promise<Ready | Pending>;
}

export type PollResult<Ready extends { kind: 'ready' } = ReadyRows> =
	| (Ready & { polls: number })
	| { kind: 'timedOut'; status: string; polls: number };

const FINISHED = new Set(['done', 'finished', 'ready', 'canceled']);

/**
 * One look at a snapshot: its rows when ready, else its status. The one rule for an empty dataset,
 * used by every operation, the resume webhook and the trigger node: it can mean "finished with no
 * rows", "expired", or (seen live) "not ready yet", so it counts as ready only when the job log
 * says the job finished. A failed job, or an unknown or expired one (the log's 404), is an error.
 */
export async function checkSnapshot<Ready extends { kind: 'ready' }>(
	ctx: RequestContext,
	snapshotId: string,
	reader: DatasetReader<Ready>,
	itemIndex?: number,
	deadline?: number,
): Promise<Ready | Pending> {
	const state = await fetchDataset(ctx, snapshotId, reader, itemIndex, deadline);
	if (state.kind !== 'ready' || !reader.isEmpty(state)) return state;
	const log = await fetchJobLog(ctx, snapshotId, itemIndex, deadline);
	const status = typeof log.status === 'string' ? log.status : 'unknown';
	if (status === 'failed') {
		throw new NodeApiError(ctx.getNode(), { status } as JsonObject, {
			message: `Job "${snapshotId}" failed at Bright Data and produced no rows`,
			description: 'The Job → Get Errors operation shows why; Job → Rerun runs it again.',
			itemIndex,
		});
	}
	// Finished: read once more, in case the job finished between the empty answer and the log.
	return FINISHED.has(status)
		? await fetchDataset(ctx, snapshotId, reader, itemIndex, deadline)
		: { kind: 'pending', status };
}

/** Polls one snapshot until it is ready, the deadline passes, or the execution is cancelled. */
export async function pollUntilReady<Ready extends { kind: 'ready' }>(
	ctx: RequestContext,
	snapshotId: string,
	{ reader, itemIndex, ...settings }: PollOptions<Ready>,
): Promise<PollResult<Ready>> {
	return await pollUntil(
		ctx,
		{ check: (deadline) => checkSnapshot(ctx, snapshotId, reader, itemIndex, deadline) },
		settings,
	);
}

/**
 * The one wait loop: checks `probe` until it is ready, the deadline passes, or the execution is
 * cancelled. The deadline holds for every request and retry inside too: whatever the last answer
 * was (a slow download, a 429 asking for a long pause), passing it ends in `timedOut`.
 */
export async function pollUntil<Ready extends { kind: 'ready' }>(
	ctx: RequestContext,
	probe: Probe<Ready>,
	settings: WaitSettings,
): Promise<PollResult<Ready>> {
	const last = { status: 'building', polls: 0 };
	try {
		return await pollLoop(ctx, probe, settings, last);
	} catch (error) {
		if (error instanceof LateAnswerError)
			return { kind: 'timedOut', status: last.status, polls: last.polls };
		throw asNodeError(ctx.getNode(), error);
	}
}

async function pollLoop<Ready extends { kind: 'ready' }>(
	ctx: RequestContext,
	probe: Probe<Ready>,
	{
		intervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS,
		deadline,
		startedAt = now(),
		startEta,
		checkAtOnce,
		onPending,
	}: WaitSettings,
	last: { status: string; polls: number },
): Promise<PollResult<Ready>> {
	const signal = cancelSignal(ctx);
	const schedule = new PollSchedule({
		msPerSecond: timing.msPerSecond,
		startedAt,
		deadline,
		intervalSeconds,
		startEta,
		checkAtOnce,
	});
	// The last check starts a second before the deadline, so its answer can still arrive.
	const lastCheckAt = deadline - secondsToMs(MIN_POLL_GAP_SECONDS);
	let next = schedule.first();
	for (let polls = 1; ; polls++) {
		last.polls = polls;
		const wait = Math.min(next, lastCheckAt) - now();
		if (wait > 0) await sleepUnlessCancelled(wait, signal);
		throwIfCancelled(ctx);
		const sentAt = now();
		schedule.sent(sentAt);
		const state = await probe.check(deadline);
		const receivedAt = now();
		if (state.kind === 'ready') return { ...state, polls };
		last.status = state.status;
		onPending?.(state);
		if (now() >= lastCheckAt) return { kind: 'timedOut', status: state.status, polls };
		next = schedule.afterPending({ sentAt, receivedAt }, state.retryInSeconds);
	}
}
