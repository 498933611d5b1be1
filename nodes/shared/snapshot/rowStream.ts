import { isObject, type Row } from '../rows';
import { RowSplitter, toBuffer } from './rowSplitter';

export type StreamResult =
	| { kind: 'rows'; rows: Row[] }
	/** The body was one JSON object that is not a row list (a status object, or one NDJSON row). */
	| { kind: 'object'; value: Row }
	| { kind: 'empty' }
	| { kind: 'invalid' };

/** Enough of a body's start to tell `null` from anything else. */
const HEAD_BYTES = 16;
/** A body in memory is fed in slices of this size, so a row cap stops the parsing early. */
const SLICE_BYTES = 64 * 1024;

/**
 * Turns a dataset body (a JSON array of objects, or NDJSON) into rows while it downloads, so the whole text
 * never sits in memory next to the parsed rows: RowSplitter cuts the rows, each is parsed once complete.
 */
export class RowStreamParser {
	readonly rows: Row[] = [];
	/** Rows cut from the last chunk, as text: parsed once the splitter has let go of their bytes. */
	private cut: string[] = [];
	private readonly splitter = new RowSplitter((row) => this.cut.push(row.toString('utf8')));
	private invalid = false;
	/** The body's first bytes (to recognise `null`), and its length. */
	private head = Buffer.alloc(0);
	private size = 0;

	push(chunk: Uint8Array): void {
		const bytes = toBuffer(chunk);
		if (this.size < HEAD_BYTES)
			this.head = Buffer.concat([this.head, bytes.subarray(0, HEAD_BYTES)]);
		this.size += bytes.length;
		if (!this.invalid) this.splitter.push(bytes);
		for (const text of this.cut.splice(0)) {
			if (this.invalid) break;
			try {
				const value: unknown = JSON.parse(text);
				if (isObject(value)) this.rows.push(value);
				else this.invalid = true;
			} catch {
				this.invalid = true;
			}
		}
	}

	end(): StreamResult {
		this.splitter.end();
		const { mode, unusual, complete, isArray } = this.splitter;
		const isNull = this.size <= HEAD_BYTES && this.head.toString('utf8').trim() === 'null';
		if (this.invalid) return { kind: 'invalid' };
		if (mode === 'start' || (unusual && isNull)) return { kind: 'empty' };
		if (unusual || !complete) return { kind: 'invalid' };
		if (!isArray && this.rows.length === 1) return { kind: 'object', value: this.rows[0] };
		return { kind: 'rows', rows: this.rows };
	}
}

/**
 * A whole body already in memory, read as a download is. Parsing stops at one row past `maxRows`:
 * the caller refuses that many, so the rest is never parsed.
 */
export function parseRows(body: string | Uint8Array, maxRows = Infinity): StreamResult {
	const bytes = typeof body === 'string' ? Buffer.from(body) : toBuffer(body);
	const parser = new RowStreamParser();
	for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
		parser.push(bytes.subarray(at, at + SLICE_BYTES));
		if (parser.rows.length > maxRows)
			return { kind: 'rows', rows: parser.rows.slice(0, maxRows + 1) };
	}
	return parser.end();
}
