import { isObject, type Row } from '../rows';
import { streamText } from '../transport';
import { LateAnswerError } from '../transport/errors';
import { parseRows, RowStreamParser } from './rowStream';

type Invalid = { kind: 'invalid'; reason: string; late?: LateAnswerError };

export type DatasetState =
	| { kind: 'ready'; rows: Row[] }
	| { kind: 'pending'; status: string; message?: string; retryInSeconds?: number }
	/** `late`: the node's Timeout ended the download (not a torn body: never fetched again). */
	| Invalid;

/** A 200 body that cannot be read as rows (fetched again by the caller, like a torn one). */
export const NOT_A_DATASET: Invalid = {
	kind: 'invalid',
	reason: 'the body is neither a JSON array nor NDJSON',
};

/** A download that broke off: torn (fetched again by the caller), or ended by the node's Timeout. */
export const brokenDownload = (error: unknown): Invalid => ({
	kind: 'invalid',
	reason: 'the download broke off',
	late: error instanceof LateAnswerError ? error : undefined,
});

/** A bare status object ({"status": "building", …}): Bright Data's "not ready yet", also with a 200. */
export const isStatusObject = (value: Row): boolean =>
	Object.keys(value).every((key) => ['status', 'message', 'pending'].includes(key));

function pending(body: unknown): DatasetState {
	const { status, message } = isObject(body) ? body : {};
	const text = typeof message === 'string' ? message : undefined;
	const hint = text?.match(/try again in\s*(\d+(?:\.\d+)?)\s*s/i);
	return {
		kind: 'pending',
		status: typeof status === 'string' && status ? status : 'building',
		message: text,
		retryInSeconds: hint ? Number(hint[1]) : undefined,
	};
}

/** The most a dataset read into memory may hold (the trigger's limits), and the error past them. */
export interface DatasetLimits {
	maxBytes: number;
	maxRows: number;
	tooLarge: (limit: 'maxBytes' | 'maxRows') => Error;
}

/**
 * Reads a streamed GET /dca/dataset answer. Pending is a 202 whatever its status word, or a 200 that is
 * empty, null or a bare status object (as Bright Data's CLI reads them); else rows, parsed as they download.
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
			if (size <= maxBytes) parser.push(chunk);
			over = size > maxBytes ? 'maxBytes' : parser.rows.length > maxRows ? 'maxRows' : undefined;
			if (over) break;
		}
	} catch (error) {
		// The connection broke mid-body: a torn download, read again by the caller.
		return brokenDownload(error);
	}
	// Leaving the loop stopped the download; thrown, not returned, so that it is not fetched again.
	if (over) throw limits!.tooLarge(over);
	const result = parser.end();
	if (result.kind === 'rows') return { kind: 'ready', rows: result.rows };
	if (result.kind === 'empty') return pending(null);
	if (result.kind === 'invalid') return NOT_A_DATASET;
	return isStatusObject(result.value)
		? pending(result.value)
		: { kind: 'ready', rows: [result.value] };
}
