/**
 * Part 5 — long strings: one row holding a single string of 5–50 MB, as a JSON array and as one
 * NDJSON line, read by the node's row stream (nodes/shared/snapshot/rowStream.ts) and by a bare JSON.parse of the
 * same text, each in its own child process (longStringWorker.ts) for its own peak memory; then the
 * same bodies through Trigger and Wait on the emulator (bench/worker.ts, the real n8n engine).
 * Linear work shows as a flat "ms per MB" column.
 */
import { join } from 'node:path';

import { runInChild } from '../child';
import { bigDatasetCollector } from '../collectors';
import { startBenchEmulator } from '../emulator';
import { longBody, type LongCase, type LongReader, type LongResult, type LongShape } from '../longStringProtocol';
import { median } from '../measure';
import type { WorkerCase } from '../workerProtocol';
import { runWorker } from './bigDatasets';

const WORKER = join(__dirname, '..', 'longStringWorker.ts');
const WORKER_TIMEOUT_MS = 300_000;

export const LONG_SIZES_MB = [5, 10, 20, 40, 50];
const SHAPES: LongShape[] = ['array', 'ndjson'];
const READERS: LongReader[] = ['JSON.parse', 'RowStreamParser'];
export const TRIGGER_AND_WAIT = 'Trigger and Wait (rows, n8n engine)';

export interface LongSummary {
	shape: LongShape;
	megabytes: number;
	reader: LongReader | typeof TRIGGER_AND_WAIT;
	bodyBytes: number;
	runs: number;
	ms: number;
	peakGrowthBytes: number;
	memoryMethod: 'VmHWM' | 'sampling';
}

const runLongWorker = (job: LongCase): Promise<LongResult> =>
	runInChild<LongResult>(WORKER, job, `long-string worker ${job.reader} ${job.shape} ${job.megabytes} MB`, WORKER_TIMEOUT_MS);

const collectorOf = (shape: LongShape, megabytes: number) => `c_long${shape}${megabytes}`;

interface Sample {
	shape: LongShape;
	megabytes: number;
	reader: LongSummary['reader'];
	ms: number;
	peakGrowthBytes: number;
	memoryMethod: LongSummary['memoryMethod'];
}

/** Trigger and Wait on the emulator: the dataset answer is the long body (a fault that answers every poll of that collector). */
async function triggerAndWaitSamples(sizes: number[], rounds: number, log: (message: string) => void): Promise<Sample[]> {
	const timeScale = 1000;
	const collectors = [bigDatasetCollector('c_longwarmup', 10), ...SHAPES.flatMap((shape) => sizes.map((mb) => bigDatasetCollector(collectorOf(shape, mb), 2)))];
	const emulator = await startBenchEmulator({ timeScale, collectors });
	const samples: Sample[] = [];
	try {
		for (let round = 0; round < rounds; round++) {
			for (const shape of SHAPES) {
				for (const megabytes of sizes) {
					const collector = collectorOf(shape, megabytes);
					const contentType = shape === 'array' ? 'application/json' : 'application/x-ndjson';
					emulator.api.injectFault({ method: 'GET', path: '/dca/dataset', collector, kind: 'malformed', body: longBody(shape, megabytes), contentType, times: Infinity });
					const job: WorkerCase = {
						kind: 'triggerAndWait',
						mode: 'rows',
						baseUrl: emulator.api.url,
						token: emulator.api.token,
						timeScale,
						warmUp: { snapshotId: '', collector: 'c_longwarmup' },
						target: { snapshotId: '', collector },
					};
					try {
						const result = await runWorker(job);
						if (result.rows !== 2) throw new Error(`Trigger and Wait on ${collector}: ${result.rows} rows instead of 2`);
						samples.push({ shape, megabytes, reader: TRIGGER_AND_WAIT, ms: result.ms - result.apiWaitMs, peakGrowthBytes: result.peakGrowthBytes, memoryMethod: result.memoryMethod });
						log(`  ${TRIGGER_AND_WAIT}, ${shape}, ${megabytes} MB: ${Math.round(result.ms - result.apiWaitMs)} ms`);
					} finally {
						emulator.api.clearFaults();
					}
				}
			}
		}
	} finally {
		await emulator.close();
	}
	return samples;
}

export async function runLongStringsBench({ sizes = LONG_SIZES_MB, rounds = 1, log = () => {} }: { sizes?: number[]; rounds?: number; log?: (message: string) => void }): Promise<LongSummary[]> {
	const samples: Sample[] = [];
	for (let round = 0; round < rounds; round++) {
		for (const shape of SHAPES) {
			for (const megabytes of sizes) {
				for (const reader of READERS) {
					const result = await runLongWorker({ shape, reader, megabytes });
					if (result.stringLength !== Math.round(megabytes * 1e6)) throw new Error(`${reader} read ${result.stringLength} characters of ${megabytes} MB`);
					samples.push({ shape, megabytes, reader, ms: result.ms, peakGrowthBytes: result.peakGrowthBytes, memoryMethod: result.memoryMethod });
					log(`  ${reader}, ${shape}, ${megabytes} MB: ${Math.round(result.ms)} ms`);
				}
			}
		}
	}
	samples.push(...(await triggerAndWaitSamples(sizes, rounds, log)));
	const readers: Array<LongSummary['reader']> = [...READERS, TRIGGER_AND_WAIT];
	return SHAPES.flatMap((shape) =>
		sizes.flatMap((megabytes) =>
			readers.map((reader): LongSummary => {
				const mine = samples.filter((sample) => sample.shape === shape && sample.megabytes === megabytes && sample.reader === reader);
				return {
					shape,
					megabytes,
					reader,
					bodyBytes: Buffer.byteLength(longBody(shape, megabytes)),
					runs: mine.length,
					ms: median(mine.map(({ ms }) => ms)),
					peakGrowthBytes: median(mine.map(({ peakGrowthBytes }) => peakGrowthBytes)),
					memoryMethod: mine.some(({ memoryMethod }) => memoryMethod === 'sampling') ? 'sampling' : 'VmHWM',
				};
			}),
		),
	);
}

const f = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export const LONG_SECTION = 'long-strings';

/** The RESULTS.md section, between markers so that `--only=longStrings` can replace it alone. */
export function longStringsMarkdown(summaries: LongSummary[], about: { code: string; date: string; load: [number, number]; rounds: number }): string {
	const byCase = (summary: LongSummary) => summaries.find((other) => other.shape === summary.shape && other.megabytes === summary.megabytes && other.reader === 'JSON.parse');
	const rows = summaries.map((summary) => {
		const parse = byCase(summary);
		return [
			summary.shape === 'array' ? 'JSON array, one row' : 'NDJSON, one line',
			f(summary.megabytes),
			summary.reader,
			f(summary.ms),
			f(summary.ms / summary.megabytes, 1),
			parse ? `${f(summary.ms / parse.ms, 2)}×` : '',
			f(summary.peakGrowthBytes / 1e6),
			`${f(summary.peakGrowthBytes / summary.bodyBytes, 1)}×`,
		];
	});
	const header = ['Body', 'String (MB)', 'Reader', 'Time (ms)', 'ms per MB', '× JSON.parse', 'Peak RSS growth (MB)', '× body'];
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	const table = [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
	return `<!-- ${LONG_SECTION}:start -->
## 5. Long strings and lines

One row holding a single string of 5–50 MB (a quote and a backslash every 1,000 characters), followed by a small row:
as a JSON array and as NDJSON (the long row is one line). **JSON.parse**: a bare \`JSON.parse\` of the whole text.
**RowStreamParser**: the node's row stream (\`nodes/shared/snapshot/rowStream.ts\`), fed the same body's bytes in 64 KB pieces as a
download delivers them. Each runs in its own child process (bench/longStringWorker.ts: \`node --expose-gc --import tsx\`): the text is
built and garbage collected before the peak-RSS mark is reset, so the figures are the reading alone; a 1 MB body is read
first to load and compile the code. **Trigger and Wait**: the same body as the dataset answer of a job on the emulator
(bench/worker.ts, n8n's engine, One Item per Row); its time includes the trigger and the polls, less the time waiting
for answers to start; its memory includes the download, the rows as items and n8n's copies of them.
${about.rounds} run${about.rounds === 1 ? '' : 's'} per case${about.rounds > 1 ? ' (medians)' : ''}; git ${about.code}, ${about.date}, load average ${f(about.load[0], 1)} → ${f(about.load[1], 1)}.
Produced by \`npm run bench -- --only=longStrings\` (this section only) or the whole \`npm run bench\`.

${table}

${conclusion(summaries, about.load)}
<!-- ${LONG_SECTION}:end -->`;
}

/** What the table shows, from its own figures. */
function conclusion(summaries: LongSummary[], load: [number, number]): string {
	const range = (reader: LongSummary['reader'], pick: (summary: LongSummary) => number, digits: number) => {
		const values = summaries.filter((summary) => summary.reader === reader).map(pick);
		return `${f(Math.min(...values), digits)}–${f(Math.max(...values), digits)}`;
	};
	const perMb = (summary: LongSummary) => summary.ms / summary.megabytes;
	const perBody = (summary: LongSummary) => summary.peakGrowthBytes / summary.bodyBytes;
	const busy = Math.max(...load) > 2;
	return `**Memory** grows linearly with the string: the row stream peaks at ${range('RowStreamParser', perBody, 1)}× the body at every
size (the row's text and the parsed string: the row's bytes are let go before it is parsed), JSON.parse at ${range('JSON.parse', perBody, 1)}×, Trigger and
Wait at ${range(TRIGGER_AND_WAIT, perBody, 1)}×. **Time** per MB: row stream ${range('RowStreamParser', perMb, 0)} ms, JSON.parse ${range('JSON.parse', perMb, 0)} ms, Trigger and Wait
${range(TRIGGER_AND_WAIT, perMb, 0)} ms, with no growth from 5 to 50 MB beyond what JSON.parse itself shows${
		busy ? ` (the machine was shared, load average ${f(Math.max(...load), 0)}, so single runs vary by 2–3×; rerun on an idle machine for smooth figures)` : ''
	}. Before the row stream kept its scanner state across chunks, it rescanned the unfinished string on every 64 KB piece:
5/10/20/40 MB took 0.13/0.47/1.6/6.2 s and 50 MB about 20 s and 1.8 GB (issue 11), quadratic growth.`;
}
