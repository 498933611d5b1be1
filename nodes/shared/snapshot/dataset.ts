import { isObject, type Row } from '../rows';
import { streamText } from '../transport';
import { LateAnswerError } from '../transport/errors';
import { parseRows, RowStreamParser, type StreamResult } from './rowStream';

export type DatasetState =
	| { kind: 'ready'; rows: Row[] }
	| { kind: 'pending'; status: string; message?: string; retryInSeconds?: number }
	/** `late`: the node's Timeout ended the download (not a torn body: never fetched again). */
	| { kind: 'invalid'; reason: string; late?: LateAnswerError };

const PENDING_KEYS = new Set(['status', 'message', 'pending']);

/** A 200 body that cannot be read as rows (fetched again by the caller, like a torn one). */
export const NOT_A_DATASET: Extract<DatasetState, { kind: 'invalid' }> = {
	kind: 'invalid',
	reason: 'the body is neither a JSON array nor NDJSON',
};
const TRY_AGAIN = /try again in\s*(\d+(?:\.\d+)?)\s*s/i;

function pending(body: unknown): DatasetState {
	const { status, message } = isObject(body) ? body : {};
	const text = typeof message === 'string' ? message : undefined;
	const hint = text?.match(TRY_AGAIN);
	return {
		kind: 'pending',
		status: typeof status === 'string' && status ? status : 'building',
		message: text,
		retryInSeconds: hint ? Number(hint[1]) : undefined,
	};
}

/** A bare status object ({"status": "building", …}): Bright Data's "not ready yet", also with a 200. */
export const isStatusObject = (value: Row): boolean =>
	Object.keys(value).every((key) => PENDING_KEYS.has(key));

/** A download that broke off: torn (fetched again by the caller), or ended by the node's Timeout. */
export const brokenDownload = (error: unknown): Extract<DatasetState, { kind: 'invalid' }> => ({
	kind: 'invalid',
	reason: 'the download broke off',
	late: error instanceof LateAnswerError ? error : undefined,
});

/**
 * The most a dataset body may hold for a reader that keeps it in memory (the trigger node's Max
 * Body Size and Max Rows), and the error for one past them: fetching it again would not help.
 */
export interface DatasetLimits {
	maxBytes: number;
	maxRows: number;
	tooLarge: (limit: 'maxBytes' | 'maxRows') => Error;
}

/**
 * Reads a streamed GET /dca/dataset answer. Pending is a 202 whatever its status word, and also a
 * 200 whose body is empty, null or a bare status object (Bright Data's own CLI treats these as
 * pending). A 200 is read row by row as it downloads (see RowStreamParser): a JSON array or NDJSON
 * (a one-line NDJSON body parses as a single object).
 */
export async function readDatasetStream(
	statusCode: number,
	stream: AsyncIterable<Uint8Array>,
	limits?: DatasetLimits,
): Promise<DatasetState> {
	if (statusCode === 202) {
		const answer = parseRows(await streamText(stream));
		return pending(answer.kind === 'object' ? answer.value : null);
	}
	const parser = new RowStreamParser();
	const { maxBytes = Infinity, maxRows = Infinity } = limits ?? {};
	let over: 'maxBytes' | 'maxRows' | undefined;
	let size = 0;
	try {
		for await (const chunk of stream) {
			size += chunk.byteLength;
			over = size > maxBytes ? 'maxBytes' : undefined;
			if (over) break;
			parser.push(chunk);
			over = parser.rows.length > maxRows ? 'maxRows' : undefined;
			if (over) break;
		}
	} catch (error) {
		// The connection broke mid-body: a torn download, read again by the caller.
		return brokenDownload(error);
	}
	// Leaving the loop early stopped the download; thrown, not returned, so that it is not fetched again.
	if (over) throw limits!.tooLarge(over);
	return datasetState(parser.end());
}

/** What a 200's rows mean: a bare status object or nothing at all is Bright Data's "not ready yet". */
function datasetState(result: StreamResult): DatasetState {
	switch (result.kind) {
		case 'rows':
			return { kind: 'ready', rows: result.rows };
		case 'object':
			return isStatusObject(result.value)
				? pending(result.value)
				: { kind: 'ready', rows: [result.value] };
		case 'empty':
			return pending(null);
		default:
			return NOT_A_DATASET;
	}
}
