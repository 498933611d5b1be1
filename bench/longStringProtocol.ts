/** What parts/longStrings.ts sends to longStringWorker.ts (argv[2], JSON) and gets back (IPC), and the bodies both build. */
export type LongShape = 'array' | 'ndjson';
export type LongReader = 'JSON.parse' | 'RowStreamParser';

export interface LongCase {
	shape: LongShape;
	reader: LongReader;
	megabytes: number;
}

export interface LongResult {
	ms: number;
	peakGrowthBytes: number;
	memoryMethod: 'VmHWM' | 'sampling';
	/** Length of the long string as read back (checks that the reader got all of it). */
	stringLength: number;
}

/** Characters of the long string for a body of about `megabytes` MB. */
export const stringLength = (megabytes: number): number => Math.round(megabytes * 1e6);

/**
 * A dataset body whose first row holds one string of `megabytes` MB (with quotes and backslashes
 * every 1,000 characters, so the scanner's escape handling is exercised), followed by a small
 * row: a JSON array, or NDJSON with the long row on one line.
 */
export function longBody(shape: LongShape, megabytes: number): string {
	const unit = `${'x'.repeat(996)}"\\`;
	const long = unit.repeat(Math.ceil(stringLength(megabytes) / unit.length)).slice(0, stringLength(megabytes));
	const rows = [{ title: long, input: { url: 'https://bench.example/long' } }, { title: 'small', input: { url: 'https://bench.example/long' } }];
	return shape === 'array' ? JSON.stringify(rows) : `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
}
