const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET] = [
	0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d,
];
/** A UTF-8 byte-order mark, which some exports put before the first byte of JSON or NDJSON. */
const BOM = [0xef, 0xbb, 0xbf];

const isSpace = (byte: number): boolean =>
	byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** A downloaded chunk as a Buffer, without copying it. */
export const toBuffer = (chunk: Uint8Array): Buffer =>
	Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/**
 * Cuts a body (a JSON array of objects, or objects one after another: NDJSON, or one object pretty-printed)
 * into each row's bytes while it downloads, without parsing them. One pass on bytes (UTF-8 never puts an ASCII
 * byte inside a multi-byte character), strings skipped with indexOf, only the unfinished row kept between
 * chunks. Array elements that are not objects are skipped; outside an array, anything but objects is invalid.
 */
export class RowSplitter {
	mode: 'start' | 'array' | 'objects' | 'ended' | 'other' | 'invalid' = 'start';
	private depth = 0;
	private inString = false;
	private escaped = false;
	private inRow = false;
	/** The open row's pieces from earlier chunks. */
	private parts: Buffer[] = [];
	/** How many bytes of a leading byte-order mark were skipped (the mark may be split across chunks). */
	private bom = 0;

	constructor(private readonly onRow: (row: Buffer) => void) {}

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
		const at = this.mode === 'start' ? this.detect(chunk) : 0;
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
			if (this.bom > 0) this.mode = 'other';
			this.bom = BOM.length;
		}
		while (this.mode === 'start' && at < chunk.length && isSpace(chunk[at])) at++;
		if (this.mode !== 'start' || at === chunk.length) return at;
		this.mode =
			chunk[at] === OPEN_BRACKET ? 'array' : chunk[at] === OPEN_BRACE ? 'objects' : 'other';
		return this.mode === 'array' ? at + 1 : at;
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
				if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
				if (nextBackslash !== -1 && (nextQuote === -1 || nextBackslash < nextQuote)) {
					// An escape: skip the escaped byte, even when it is in the next chunk.
					i = nextBackslash + 2;
					this.escaped = i > length;
				} else if (nextQuote === -1) {
					break;
				} else {
					this.inString = false;
					i = nextQuote + 1;
				}
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
				if (this.depth++ === 0 && byte === OPEN_BRACE) {
					this.inRow = true;
					rowStart = i;
				}
			} else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
				if (this.depth === 0) {
					this.mode = byte === CLOSE_BRACKET ? 'ended' : 'invalid';
					this.checkTrailing(chunk, i + 1);
					return;
				}
				if (--this.depth === 0 && this.inRow) {
					const tail = chunk.subarray(rowStart, i + 1);
					// The earlier pieces are let go before the row is handed on.
					this.onRow(this.parts.length ? Buffer.concat(this.parts.splice(0).concat(tail)) : tail);
					this.inRow = false;
				}
			}
			i++;
		}
		if (this.inRow) this.parts.push(chunk.subarray(rowStart));
	}

	private checkTrailing(chunk: Buffer, from: number): void {
		if (chunk.subarray(from).some((byte) => !isSpace(byte))) this.mode = 'invalid';
	}
}
