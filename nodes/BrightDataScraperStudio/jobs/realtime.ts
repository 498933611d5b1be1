import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { Row } from '../../shared/rows';
import { parseRows } from '../../shared/snapshot/rowStream';
import { MIN_POLL_GAP_SECONDS, pollUntil, type Pending } from '../../shared/snapshot/polling';
import { now, secondsToMs, timing } from '../../shared/timing';
import { apiRequest, type ApiResponse } from '../../shared/transport';
import type { InputRequest } from './perInput';
import { startedJobId } from './trigger';

/** Bright Data holds a get_result request up to this long (it accepts 25 to 50 s). */
const LONG_POLL_SECONDS = 50;
const MIN_LONG_POLL_SECONDS = 25;
/** The HTTP timeout must outlast the long-poll. */
const LONG_POLL_MARGIN_MS = 20_000;

export const PAGE_LIMIT_ERROR = /exceeded realtime job limit/i;

/** A real-time result, or undefined while pending: 202, an empty or null body, or {"pending": true}. */
export function readRealtimeResult({
	statusCode,
	body,
}: Pick<ApiResponse, 'statusCode' | 'body'>): Row[] | undefined {
	if (statusCode === 202) return undefined;
	const answer = parseRows(body);
	if (answer.kind === 'rows') return answer.rows;
	// Older collectors answer one object instead of an array.
	return answer.kind === 'object' && answer.value.pending !== true ? [answer.value] : undefined;
}

/**
 * One input's rows: POST /dca/trigger_immediate (any 2xx with a response_id), or POST /dca/crawl, whose 200 holds the
 * rows unless it outlasts its timeout; then get_result until `deadline`. A crawl answer without rows or response_id fails.
 */
export async function realtimeRows(
	ctx: IExecuteFunctions,
	{ collector, input, options, itemIndex }: InputRequest,
	how: 'realtime' | 'crawl',
	deadline: number,
): Promise<Row[]> {
	const crawl = how === 'crawl';
	const timeout = options.crawlTimeoutSeconds;
	const response = await apiRequest.call(ctx, {
		method: 'POST',
		path: crawl ? '/dca/crawl' : '/dca/trigger_immediate',
		qs: { collector, ...(crawl ? { timeout: `${timeout}s` } : {}), ...options.query },
		body: input,
		retry: 'neverResend',
		subject: {
			collector,
			itemIndex,
			action: crawl ? 'crawl request' : 'real-time trigger request',
		},
		...(crawl ? { timeoutMs: secondsToMs(timeout) + timing.requestTimeoutMs } : {}),
	});
	const rows = crawl ? readRealtimeResult(response) : undefined;
	if (rows) return rows;
	const { statusCode } = response;
	const what = !crawl
		? 'real-time job'
		: statusCode === 202
			? 'crawl'
			: `crawl (its ${statusCode} answer held no rows)`;
	const { id } = startedJobId(ctx, response, { field: 'response_id', what, itemIndex });
	return await waitForRealtimeResult(ctx, id, deadline, options.timeoutSeconds, itemIndex);
}

/** Long-polls GET /dca/get_result with the one wait loop until the rows are there or the deadline passes. */
async function waitForRealtimeResult(
	ctx: IExecuteFunctions,
	responseId: string,
	deadline: number,
	timeoutSeconds: number,
	itemIndex: number,
): Promise<Row[]> {
	const check = async (until: number): Promise<{ kind: 'ready'; rows: Row[] } | Pending> => {
		const leftSeconds = Math.ceil((until - now()) / secondsToMs(1));
		const longPoll = Math.max(MIN_LONG_POLL_SECONDS, Math.min(LONG_POLL_SECONDS, leftSeconds));
		const response = await apiRequest.call(ctx, {
			method: 'GET',
			path: '/dca/get_result',
			qs: { response_id: responseId, timeout: `${longPoll}s` },
			retry: 'idempotent',
			subject: { snapshotId: responseId, itemIndex },
			timeoutMs: secondsToMs(longPoll) + LONG_POLL_MARGIN_MS,
			deadline: until,
		});
		const rows = readRealtimeResult(response);
		return rows ? { kind: 'ready', rows } : { kind: 'pending', status: 'pending' };
	};
	// Asked again as soon as a held request comes back, and at most once a second from a server that does not hold it.
	const result = await pollUntil(
		ctx,
		{ check },
		{ deadline, intervalSeconds: MIN_POLL_GAP_SECONDS, checkAtOnce: true },
	);
	if (result.kind === 'ready') return result.rows;
	throw new NodeOperationError(
		ctx.getNode(),
		`Real-time result "${responseId}" was not ready after ${timeoutSeconds} s`,
		{
			itemIndex,
			description: `Bright Data keeps it for 7 days. Raise the Timeout option, or fetch it later from /dca/get_result?response_id=${responseId}.`,
		},
	);
}
