import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { apiRequest, cancelSignal, throwIfCancelled, type RequestContext } from '../transport';
import { readDatasetStream, type DatasetState } from './dataset';
import { fetchJobLog } from './jobLog';
import { now, secondsToMs, sleepUnlessCancelled } from './timing';

/** Never more than one dataset request a second, whatever the hint or interval says. */
export const MIN_POLL_GAP_SECONDS = 1;

export type ReadyOrPending = Exclude<DatasetState, { kind: 'invalid' }>;

type ReadyRows = Extract<DatasetState, { kind: 'ready' }>;
type NotReady = Exclude<DatasetState, { kind: 'ready' }>;

/**
 * How a dataset answer is read: by default parsed into rows; the File output passes one that
 * writes the rows into a file as they download (helpers/datasetFile.ts), so the body that
 * answers "is it ready?" is the one that fills the file.
 */
export interface DatasetReader<Ready extends { kind: 'ready' }> {
	read(statusCode: number, stream: AsyncIterable<Uint8Array>): Promise<Ready | NotReady>;
	isEmpty(ready: Ready): boolean;
}

export const rowReader: DatasetReader<ReadyRows> = { read: readDatasetStream, isEmpty: (ready) => !ready.rows.length };

/** An unreadable dataset body (a torn download) is fetched again this many times: the read is idempotent. */
const INVALID_BODY_RETRIES = 2;

/** One GET /dca/dataset: asks for JSON, still accepts NDJSON; a torn body is fetched again. */
export async function fetchDataset<Ready extends { kind: 'ready' } = ReadyRows>(
	ctx: RequestContext,
	snapshotId: string,
	itemIndex?: number,
	// The default reader yields ReadyRows, which is the default Ready.
	reader: DatasetReader<Ready> = rowReader as unknown as DatasetReader<Ready>,
): Promise<Ready | Extract<DatasetState, { kind: 'pending' }>> {
	for (let attempt = 0; ; attempt++) {
		const response = await apiRequest.call(ctx, {
			method: 'GET',
			path: '/dca/dataset',
			qs: { id: snapshotId, format: 'json' },
			retry: 'idempotent',
			subject: { snapshotId, itemIndex },
			stream: true,
		});
		const state = await reader.read(response.statusCode, response.stream!);
		if (state.kind !== 'invalid') return state;
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

export interface PollOptions<Ready extends { kind: 'ready' } = ReadyRows> {
	/** How a ready dataset is read (rows by default). */
	reader?: DatasetReader<Ready>;
	intervalSeconds: number;
	/** Epoch ms after which the node stops waiting. */
	deadline: number;
	itemIndex?: number;
	/** Called after every poll that found the snapshot not ready yet. */
	onPending?: (state: Extract<DatasetState, { kind: 'pending' }>) => void;
}

export type PollResult<Ready extends { kind: 'ready' } = ReadyRows> =
	| (Ready & { polls: number })
	| { kind: 'timedOut'; status: string; polls: number };

const FINISHED = new Set(['done', 'finished', 'ready', 'canceled']);

/**
 * An empty dataset can mean "finished with no rows", "expired", or (seen live) "not ready yet":
 * the job log tells which. An unknown or expired job fails here with the 404 explanation.
 */
async function statusOfEmptySnapshot(ctx: RequestContext, snapshotId: string, itemIndex?: number): Promise<string> {
	const { status } = await fetchJobLog(ctx, snapshotId, itemIndex);
	return typeof status === 'string' ? status : 'unknown';
}

/** Polls one snapshot until it is ready, the deadline passes, or the execution is cancelled. */
export async function pollUntilReady<Ready extends { kind: 'ready' } = ReadyRows>(
	ctx: RequestContext,
	snapshotId: string,
	{ intervalSeconds, deadline, itemIndex, onPending, reader = rowReader as unknown as DatasetReader<Ready> }: PollOptions<Ready>,
): Promise<PollResult<Ready>> {
	const signal = cancelSignal(ctx);
	for (let polls = 1; ; polls++) {
		let state = await fetchDataset(ctx, snapshotId, itemIndex, reader);
		if (state.kind === 'ready' && reader.isEmpty(state)) {
			const status = await statusOfEmptySnapshot(ctx, snapshotId, itemIndex);
			if (status === 'failed') {
				throw new NodeApiError(ctx.getNode(), { status } as JsonObject, {
					message: `Job "${snapshotId}" failed at Bright Data and produced no rows`,
					description: 'The Job → Get Errors operation shows why; Job → Rerun runs it again.',
					itemIndex,
				});
			}
			// Finished: read once more, in case the job finished between the empty answer and the log.
			state = FINISHED.has(status) ? await fetchDataset(ctx, snapshotId, itemIndex, reader) : { kind: 'pending', status };
		}
		if (state.kind === 'ready') return { ...state, polls };
		onPending?.(state);
		const left = deadline - now();
		if (left <= 0) return { kind: 'timedOut', status: state.status, polls };
		const delay = secondsToMs(nextPollDelaySeconds(state.retryInSeconds, intervalSeconds));
		await sleepUnlessCancelled(Math.min(delay, left), signal);
		throwIfCancelled(ctx);
	}
}
