import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { apiRequest, cancelSignal, throwIfCancelled, type RequestContext } from '../transport';
import { asNodeError, LateAnswerError } from '../transport/errors';
import { readDatasetStream, type DatasetState } from './dataset';
import { fetchJobLog } from './jobLog';
import { now, secondsToMs, sleepUnlessCancelled } from './timing';
import type { Row } from './types';

/** Never more than one dataset request a second, whatever the hint or interval says. */
export const MIN_POLL_GAP_SECONDS = 1;

export type ReadyOrPending = Exclude<DatasetState, { kind: 'invalid' }>;

/** An unreadable dataset body (a torn download) is fetched again this many times: the read is idempotent. */
const INVALID_BODY_RETRIES = 2;

/**
 * One GET /dca/dataset: asks for JSON, still accepts NDJSON; a torn body is fetched again.
 * With a `deadline` (epoch ms), the download ends there with a LateAnswerError.
 */
export async function fetchDataset(
	ctx: RequestContext,
	snapshotId: string,
	itemIndex?: number,
	deadline?: number,
): Promise<ReadyOrPending> {
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
		const state = await readDatasetStream(response.statusCode, response.stream!);
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

/**
 * Seconds to wait before the next poll: the API's "try again in N s" hint when it gives one,
 * never longer than the chosen interval and never shorter than a second.
 */
export function nextPollDelaySeconds(hintSeconds: number | undefined, intervalSeconds: number): number {
	return Math.max(MIN_POLL_GAP_SECONDS, Math.min(hintSeconds ?? intervalSeconds, intervalSeconds));
}

export interface PollOptions {
	intervalSeconds: number;
	/** Epoch ms after which the node stops waiting. */
	deadline: number;
	itemIndex?: number;
	/** Called after every poll that found the snapshot not ready yet. */
	onPending?: (state: Extract<DatasetState, { kind: 'pending' }>) => void;
}

export type PollResult =
	| { kind: 'ready'; rows: Row[]; polls: number }
	| { kind: 'timedOut'; status: string; polls: number };

const FINISHED = new Set(['done', 'finished', 'ready', 'canceled']);

/**
 * An empty dataset can mean "finished with no rows", "expired", or (seen live) "not ready yet":
 * the job log tells which. An unknown or expired job fails here with the 404 explanation.
 */
async function statusOfEmptySnapshot(ctx: RequestContext, snapshotId: string, itemIndex?: number, deadline?: number): Promise<string> {
	const { status } = await fetchJobLog(ctx, snapshotId, itemIndex, deadline);
	return typeof status === 'string' ? status : 'unknown';
}

/**
 * Polls one snapshot until it is ready, the deadline passes, or the execution is cancelled.
 * The deadline holds for every request and retry inside too: whatever the last answer was
 * (a slow download, a 429 asking for a long pause), passing it ends in `timedOut`.
 */
export async function pollUntilReady(ctx: RequestContext, snapshotId: string, options: PollOptions): Promise<PollResult> {
	const last = { status: 'building', polls: 0 };
	try {
		return await pollLoop(ctx, snapshotId, options, last);
	} catch (error) {
		if (error instanceof LateAnswerError) return { kind: 'timedOut', status: last.status, polls: last.polls };
		throw asNodeError(ctx.getNode(), error);
	}
}

async function pollLoop(
	ctx: RequestContext,
	snapshotId: string,
	{ intervalSeconds, deadline, itemIndex, onPending }: PollOptions,
	last: { status: string; polls: number },
): Promise<PollResult> {
	const signal = cancelSignal(ctx);
	for (let polls = 1; ; polls++) {
		last.polls = polls;
		let state: ReadyOrPending = await fetchDataset(ctx, snapshotId, itemIndex, deadline);
		if (state.kind === 'ready' && !state.rows.length) {
			const status = await statusOfEmptySnapshot(ctx, snapshotId, itemIndex, deadline);
			if (status === 'failed') {
				throw new NodeApiError(ctx.getNode(), { status } as JsonObject, {
					message: `Job "${snapshotId}" failed at Bright Data and produced no rows`,
					description: 'The Job → Get Errors operation shows why; Job → Rerun runs it again.',
					itemIndex,
				});
			}
			// Finished: read once more, in case the job finished between the empty answer and the log.
			state = FINISHED.has(status) ? await fetchDataset(ctx, snapshotId, itemIndex, deadline) : { kind: 'pending', status };
		}
		if (state.kind === 'ready') return { kind: 'ready', rows: state.rows, polls };
		last.status = state.status;
		onPending?.(state);
		const left = deadline - now();
		if (left <= 0) return { kind: 'timedOut', status: state.status, polls };
		const delay = secondsToMs(nextPollDelaySeconds(state.retryInSeconds, intervalSeconds));
		await sleepUnlessCancelled(Math.min(delay, left), signal);
		throwIfCancelled(ctx);
	}
}
