import type { Row } from './types';

const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const QUOTE = 34; // "
const BACKSLASH = 92; // \

export type StreamResult =
	| { kind: 'rows'; rows: Row[] }
	/** The body was one JSON object that is not a row list (a status object, or one NDJSON row). */
	| { kind: 'object'; value: Row }
	| { kind: 'empty' }
	| { kind: 'invalid' };

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns a dataset body into rows while it downloads, a JSON array of objects or NDJSON, so the
 * whole text never sits in memory next to the parsed rows (for 100,000 rows of 1 KB that is
 * the difference between about 2x and 4.5x the payload at the peak).
 */
export class RowStreamParser {
	private mode: 'start' | 'array' | 'ndjson' | 'ended' | 'invalid' = 'start';
	private text = '';
	/** Array mode: where scanning resumes, the nesting depth inside the top-level array, and the open element. */
	private scanAt = 0;
	private depth = 0;
	private elementStart = -1;
	private readonly rows: Row[] = [];

	push(chunk: string): void {
		if (this.mode === 'ended' || this.mode === 'invalid') {
			if (chunk.trim()) this.mode = 'invalid';
			return;
		}
		this.text += chunk;
		if (this.mode === 'start') this.detect();
		if (this.mode === 'array') this.scanArray();
		else if (this.mode === 'ndjson') this.takeLines(false);
	}

	end(): StreamResult {
		if (this.mode === 'start') return this.text.trim() === '' || this.text.trim() === 'null' ? { kind: 'empty' } : { kind: 'invalid' };
		if (this.mode === 'ndjson') this.takeLines(true);
		if (this.mode === 'invalid' || this.mode === 'array') return { kind: 'invalid' };
		if (this.mode === 'ndjson' && this.rows.length === 1) return { kind: 'object', value: this.rows[0] };
		return { kind: 'rows', rows: this.rows };
	}

	private detect(): void {
		const first = this.text.search(/\S/);
		if (first === -1) return;
		const char = this.text.charCodeAt(first);
		if (char === OPEN_BRACKET) {
			this.mode = 'array';
			this.scanAt = first + 1;
		} else if (char === OPEN_BRACE) {
			this.mode = 'ndjson';
		} else if (!'null'.startsWith(this.text.slice(first, first + 4))) {
			this.mode = 'invalid';
		}
	}

	/** Cuts top-level elements out of the array text as they complete and parses each. */
	private scanArray(): void {
		const text = this.text;
		let i = this.scanAt;
		while (i < text.length) {
			const char = text.charCodeAt(i);
			if (char === QUOTE) {
				const close = closingQuote(text, i + 1);
				if (close === -1) break; // the string goes on in the next chunk
				i = close + 1;
				continue;
			}
			if (char === OPEN_BRACE || char === OPEN_BRACKET) {
				if (this.depth === 0) this.elementStart = i;
				this.depth++;
			} else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
				if (this.depth === 0) {
					this.mode = text.slice(i + 1).trim() ? 'invalid' : 'ended';
					this.text = '';
					return;
				}
				this.depth--;
				if (this.depth === 0 && !this.keep(text.slice(this.elementStart, i + 1))) return;
			}
			i++;
		}
		// Keep only what the next chunk completes: the open element, or the unscanned rest.
		const keepFrom = this.depth > 0 ? this.elementStart : i;
		this.text = text.slice(keepFrom);
		this.scanAt = i - keepFrom;
		if (this.depth > 0) this.elementStart = 0;
	}

	private keep(json: string): boolean {
		try {
			const value: unknown = JSON.parse(json);
			if (isRow(value)) this.rows.push(value);
			this.elementStart = -1;
			return true;
		} catch {
			this.mode = 'invalid';
			return false;
		}
	}

	/** NDJSON: parses every complete line; at the end, the last one too. */
	private takeLines(final: boolean): void {
		const lines = this.text.split('\n');
		this.text = final ? '' : (lines.pop() ?? '');
		for (const line of lines) {
			if (!line.trim()) continue;
			try {
				const value: unknown = JSON.parse(line);
				if (!isRow(value)) throw new TypeError('not an object');
				this.rows.push(value);
			} catch {
				this.mode = 'invalid';
				return;
			}
		}
	}
}

/** The index of the quote that closes a string whose first character is at `from`, or -1. */
function closingQuote(text: string, from: number): number {
	for (let at = text.indexOf('"', from); at !== -1; at = text.indexOf('"', at + 1)) {
		let backslashes = 0;
		for (let k = at - 1; k >= from && text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
		if (backslashes % 2 === 0) return at;
	}
	return -1;
}
