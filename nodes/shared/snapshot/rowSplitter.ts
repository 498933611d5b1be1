const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** A UTF-8 byte-order mark, which some exports put before the first byte of JSON or NDJSON. */
const BOM = [0xef, 0xbb, 0xbf];

const isSpace = (byte: number): boolean =>
	byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** A downloaded chunk as a Buffer, without copying it. */
export const toBuffer = (chunk: Uint8Array): Buffer =>
	Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Cuts a body (a JSON array of objects, or objects one after another: NDJSON, or one object
 * pretty-printed) into the raw bytes of each row while it downloads, without parsing them. One
 * pass on bytes (UTF-8 never puts an ASCII byte inside a multi-byte character), strings skipped
 * with indexOf, only the unfinished row kept between chunks. Array elements that are not objects
 * are skipped; outside an array, anything but objects makes the body invalid.
 */
export class RowSplitter {
	private mode: 'start' | 'array' | 'objects' | 'ended' | 'other' | 'invalid' = 'start';
	/** Array mode: nesting depth, string state, and the pieces of the open object from earlier chunks. */
	private depth = 0;
	private inString = false;
	private escaped = false;
	private inRow = false;
	private parts: Buffer[] = [];
	/** How many bytes of a leading byte-order mark were skipped (the mark may be split across chunks). */
	private bom = 0;

	constructor(private readonly onRow: (row: Buffer) => void) {}

	/** Something other than blanks has arrived. */
	get started(): boolean {
		return this.mode !== 'start';
	}

	/** The body ended where it should: a closed array, or objects with none left open. */
	get complete(): boolean {
		return this.mode === 'ended' || this.mode === 'objects';
	}

	/** A JSON array: every object in it is a row (a status object comes alone, not in an array). */
	get isArray(): boolean {
		return this.mode === 'array' || this.mode === 'ended';
	}

	/** Neither a JSON array nor NDJSON (a status object is NDJSON's first line until shown otherwise). */
	get unusual(): boolean {
		return this.mode === 'other' || this.mode === 'invalid';
	}

	push(chunk: Buffer): void {
		let at = 0;
		if (this.mode === 'start') at = this.detect(chunk);
		if (this.mode === 'array' || this.mode === 'objects') this.scan(chunk, at);
		else if (this.mode === 'ended') this.checkTrailing(chunk, at);
	}

	end(): void {
		// An object still open: a torn download.
		if (this.mode === 'objects' && this.inRow) this.mode = 'invalid';
		this.parts = [];
	}

	private detect(chunk: Buffer): number {
		let at = 0;
		// Only at the very start of the body: skip a UTF-8 byte-order mark, as TextDecoder does.
		while (this.bom < BOM.length && at < chunk.length && chunk[at] === BOM[this.bom]) {
			this.bom++;
			at++;
		}
		if (at < chunk.length && this.bom < BOM.length) {
			if (this.bom > 0) {
				this.mode = 'other';
				return at;
			}
			this.bom = BOM.length;
		}
		while (at < chunk.length && isSpace(chunk[at])) at++;
		if (at === chunk.length) return at;
		if (chunk[at] === OPEN_BRACKET) {
			this.mode = 'array';
			return at + 1;
		}
		this.mode = chunk[at] === OPEN_BRACE ? 'objects' : 'other';
		return at;
	}

	private scan(chunk: Buffer, from: number): void {
		const length = chunk.length;
		let rowStart = this.inRow ? 0 : -1;
		// The next quote and backslash at or after i (-1: none left in this chunk), searched again only once passed.
		let nextQuote = -2;
		let nextBackslash = -2;
		let i = from;
		if (this.escaped && i < length) {
			this.escaped = false;
			i++;
		}
		while (i < length) {
			if (this.inString) {
				if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
				const quote = nextQuote;
				if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
				if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
					// An escape: skip the escaped byte, even when it is in the next chunk.
					i = nextBackslash + 2;
					if (i > length) this.escaped = true;
					continue;
				}
				if (quote === -1) break;
				this.inString = false;
				i = quote + 1;
				continue;
			}
			const byte = chunk[i];
			if (this.depth === 0 && this.mode === 'objects' && byte !== OPEN_BRACE && !isSpace(byte)) {
				this.mode = 'invalid';
				return;
			}
			if (byte === QUOTE) {
				this.inString = true;
			} else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
				if (this.depth === 0 && byte === OPEN_BRACE) {
					this.inRow = true;
					rowStart = i;
				}
				this.depth++;
			} else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
				if (this.depth === 0) {
					this.mode = byte === CLOSE_BRACKET ? 'ended' : 'invalid';
					this.checkTrailing(chunk, i + 1);
					return;
				}
				this.depth--;
				if (this.depth === 0 && this.inRow) {
					this.onRow(this.joinParts(chunk.subarray(rowStart, i + 1)));
					this.inRow = false;
					rowStart = -1;
				}
			}
			i++;
		}
		if (this.inRow) this.parts.push(chunk.subarray(rowStart));
	}

	/** The open row's pieces from earlier chunks and its `tail`, as one Buffer; the pieces are let go first. */
	private joinParts(tail: Buffer): Buffer {
		if (!this.parts.length) return tail;
		const row = Buffer.concat([...this.parts, tail]);
		this.parts = [];
		return row;
	}

	private checkTrailing(chunk: Buffer, from: number): void {
		for (let at = from; at < chunk.length; at++) {
			if (!isSpace(chunk[at])) {
				this.mode = 'invalid';
				return;
			}
		}
	}
}
