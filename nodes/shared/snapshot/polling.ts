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
import {
	DEFAULT_POLL_INTERVAL_SECONDS,
	MIN_POLL_GAP_SECONDS,
	PollSchedule,
	type ScheduleSettings,
} from './pollSchedule';

export { MIN_POLL_GAP_SECONDS } from './pollSchedule';

export type ReadyRows = Extract<DatasetState, { kind: 'ready' }>;
export type Pending = Extract<DatasetState, { kind: 'pending' }>;
type Ready = { kind: 'ready' };

/** A GET /dca/dataset answer as a reader gets it; its body still ends at the request's deadline. */
export type DatasetAnswer = Pick<ApiResponse, 'statusCode' | 'toReadable'> & {
	stream: AsyncIterable<Uint8Array>;
};

/** How a dataset answer is read: into rows (rowReader), or into a file while it downloads (output/datasetFile.ts). */
export interface DatasetReader<R extends Ready> {
	read(answer: DatasetAnswer): Promise<R | Exclude<DatasetState, Ready>>;
	/** A ready answer without rows: the job log then tells "finished empty" from "not ready yet". */
	isEmpty(ready: R): boolean;
}

/** Rows in memory; a dataset past `limits` throws its `tooLarge` error (the trigger node's Fetch Rows). */
export const rowReaderWithin = (limits?: DatasetLimits): DatasetReader<ReadyRows> => ({
	read: ({ statusCode, stream }) => readDatasetStream(statusCode, stream, limits),
	isEmpty: ({ rows }) => !rows.length,
});

export const rowReader = rowReaderWithin();

/** How long a snapshot Bright Data notified as done may still build (it should be ready at once). */
export const NOTIFIED_WAIT_SECONDS = 30;

/** A torn dataset body is fetched again this many times: the read is idempotent. */
const INVALID_BODY_RETRIES = 2;

const FINISHED = new Set(['done', 'finished', 'ready', 'canceled']);

/**
 * One look at a snapshot: its rows when ready, else its status. An empty dataset may mean "finished
 * with no rows" or (seen live) "not ready yet", so it is ready only when the job log says finished.
 * A failed job, or an unknown or expired one (the log's 404), is an error.
 */
export async function checkSnapshot<R extends Ready>(
	ctx: RequestContext,
	snapshotId: string,
	reader: DatasetReader<R>,
	itemIndex?: number,
	deadline?: number,
): Promise<R | Pending> {
	// One GET /dca/dataset (JSON asked, NDJSON accepted); a torn body is fetched again.
	const fetchDataset = async (): Promise<R | Pending> => {
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
			const state = await reader.read({ ...response, stream: response.stream! });
			if (state.kind !== 'invalid') return state;
			if (state.late) throw state.late;
			if (attempt >= INVALID_BODY_RETRIES) {
				throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode } as JsonObject, {
					message: `Bright Data sent an unreadable dataset for snapshot "${snapshotId}"`,
					description: `${state.reason}, ${attempt + 1} times. Run Get Dataset later with this snapshot ID, or download it from the control panel.`,
					itemIndex,
				});
			}
			await sleepUnlessCancelled(secondsToMs(MIN_POLL_GAP_SECONDS), cancelSignal(ctx));
		}
	};
	const state = await fetchDataset();
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
	return FINISHED.has(status) ? await fetchDataset() : { kind: 'pending', status };
}

/** How long and how a wait goes, whatever it waits for (see ScheduleSettings). */
export type WaitSettings = Pick<ScheduleSettings, 'deadline' | 'startEta' | 'checkAtOnce'> &
	Partial<Pick<ScheduleSettings, 'intervalSeconds' | 'startedAt'>> & {
		/** Called after every check that found it not ready yet. */
		onPending?: (state: Pending) => void;
	};

/** What the loop waits for: one look at it. */
export interface Probe<R extends Ready> {
	check(deadline: number): Promise<R | Pending>;
}

export type PollResult<R extends Ready = ReadyRows> =
	| (R & { polls: number })
	| { kind: 'timedOut'; status: string; polls: number };

/** Polls one snapshot until it is ready, the deadline passes, or the execution is cancelled. */
export async function pollUntilReady<R extends Ready>(
	ctx: RequestContext,
	snapshotId: string,
	options: WaitSettings & { reader: DatasetReader<R>; itemIndex?: number },
): Promise<PollResult<R>> {
	const { reader, itemIndex } = options;
	const check = (deadline: number) => checkSnapshot(ctx, snapshotId, reader, itemIndex, deadline);
	return await pollUntil(ctx, { check }, options);
}

/**
 * The one wait loop: checks `probe` until it is ready, the deadline passes, or the execution is
 * cancelled. The deadline holds for every request inside too: passing it ends in `timedOut`.
 */
export async function pollUntil<R extends Ready>(
	ctx: RequestContext,
	probe: Probe<R>,
	settings: WaitSettings,
): Promise<PollResult<R>> {
	const { deadline, onPending } = settings;
	const schedule = new PollSchedule({
		...settings,
		msPerSecond: timing.msPerSecond,
		startedAt: settings.startedAt ?? now(),
		intervalSeconds: settings.intervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
	});
	// The last check starts a second before the deadline, so its answer can still arrive.
	const lastCheckAt = deadline - secondsToMs(MIN_POLL_GAP_SECONDS);
	let status = 'building';
	let polls = 0;
	try {
		for (let next = schedule.first(); ; ) {
			polls++;
			const wait = Math.min(next, lastCheckAt) - now();
			if (wait > 0) await sleepUnlessCancelled(wait, cancelSignal(ctx));
			throwIfCancelled(ctx);
			const sentAt = now();
			schedule.sent(sentAt);
			const state = await probe.check(deadline);
			const receivedAt = now();
			if (state.kind === 'ready') return { ...state, polls };
			status = state.status;
			onPending?.(state);
			if (now() >= lastCheckAt) return { kind: 'timedOut', status, polls };
			next = schedule.afterPending({ sentAt, receivedAt }, state.retryInSeconds);
		}
	} catch (error) {
		if (error instanceof LateAnswerError) return { kind: 'timedOut', status, polls };
		throw asNodeError(ctx.getNode(), error);
	}
}
