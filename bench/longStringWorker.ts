/**
 * One long-string measurement in a fresh process (started by parts/longStrings.ts with a JSON
 * case as argv[2]): builds the body text (not measured), warms the reader up on a 1 MB body,
 * collects garbage, resets the kernel's peak-RSS mark, reads the body once and sends back the
 * time and the peak RSS growth. The text exists before the mark, so only the reading is counted.
 */
import { RowStreamParser } from '../nodes/shared/snapshot/rowStream';
import { longBody, type LongCase, type LongResult } from './longStringProtocol';
import { PeakMemory } from './measure';

declare const gc: () => void;

/** What a download hands the parser: 64 KB pieces, as Node's HTTP client delivers them. */
const CHUNK = 64 * 1024;

/** The body as a download has it: text for JSON.parse (after `.text()`), bytes for the row stream. */
type Body = { text: string } | { bytes: Buffer };

function read(job: LongCase, body: Body): number {
	if ('text' in body) {
		const { text } = body;
		if (job.shape === 'array') return ((JSON.parse(text) as Array<{ title: string }>)[0].title).length;
		return (JSON.parse(text.slice(0, text.indexOf('\n'))) as { title: string }).title.length;
	}
	const parser = new RowStreamParser();
	for (let at = 0; at < body.bytes.length; at += CHUNK) parser.push(body.bytes.subarray(at, at + CHUNK));
	const result = parser.end();
	if (result.kind === 'rows') return String(result.rows[0]?.title ?? '').length;
	if (result.kind === 'object') return String(result.value.title ?? '').length;
	throw new Error(`the parser said ${result.kind}`);
}

function main(): void {
	const job = JSON.parse(process.argv[2]) as LongCase;
	const bodyOf = (text: string): Body => (job.reader === 'JSON.parse' ? { text } : { bytes: Buffer.from(text) });
	read(job, bodyOf(longBody(job.shape, 1)));
	const body = bodyOf(longBody(job.shape, job.megabytes));
	gc();
	gc();
	const peak = new PeakMemory();
	const started = performance.now();
	const length = read(job, body);
	const ms = performance.now() - started;
	const result: LongResult = { ms, peakGrowthBytes: peak.growth(), memoryMethod: peak.method, stringLength: length };
	process.send?.(result);
}

try {
	main();
} catch (error) {
	process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
	process.exitCode = 1;
} finally {
	process.disconnect?.();
}
