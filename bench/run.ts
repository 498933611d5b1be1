/**
 * `npm run bench`: the node against the alternatives, side by side on the emulator, in one run.
 * Writes bench/RESULTS.md and bench/chart.svg and prints the tables. See RESULTS.md for the method.
 *
 * `npm run bench -- --only=longStrings` (comma-separated part names: schedule, manyInputs, realtime,
 * bigDatasets, longStrings) runs only those parts. The long-strings section of RESULTS.md is then
 * replaced on its own; the other parts' figures are printed as JSON, and RESULTS.md keeps its
 * sections from the last full run (they are ratios within one run, so they are not mixed).
 */
import './env';

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chartSvg } from './chart';
import { perJobCostDescription } from './collectors';
import { describeCode, describeMachine, loadNow } from './measure';
import { runBigDatasetsBench } from './parts/bigDatasets';
import { LONG_SIZES_MB, longStringsMarkdown, runLongStringsBench, withLongStringsSection } from './parts/longStrings';
import { PER_ITEM_CONCURRENCY, runManyInputsBench } from './parts/manyInputs';
import { runRealtimeBench } from './parts/realtime';
import { runScheduleBench } from './parts/schedule';
import { printedTables, resultsMarkdown } from './report';
import type { BenchResults, BenchSettings } from './results';

const SETTINGS: BenchSettings = {
	scheduleJobs: 48,
	scheduleRange: [3, 300],
	manyItems: 10_000,
	manyTimeScale: 50,
	perItemConcurrency: PER_ITEM_CONCURRENCY,
	perJobCost: perJobCostDescription,
	bigSizes: [10_000, 100_000],
	bigRounds: 3,
	realtimeTimeScale: 20,
	realtimeJobs: 48,
	realtimeRange: [1, 60],
};

const PARTS = ['schedule', 'manyInputs', 'realtime', 'bigDatasets', 'longStrings'] as const;
type Part = (typeof PARTS)[number];

/** The parts named by `--only=a,b`, or every part. */
function selectedParts(argv: string[]): Part[] {
	const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
	if (!only) return [...PARTS];
	const names = only.split(',').map((name) => name.trim());
	const unknown = names.filter((name) => !PARTS.includes(name as Part));
	if (unknown.length) throw new Error(`Unknown bench part ${unknown.join(', ')}; the parts are ${PARTS.join(', ')}`);
	return names as Part[];
}

const LONG_ROUNDS = 1;
const RESULTS_FILE = join(__dirname, 'RESULTS.md');

const started = performance.now();
const loadAtStart = loadNow();
const codeAtStart = describeCode();
const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

/** Runs the long-strings part and writes its section into RESULTS.md (whatever else is there). */
async function longStrings(step: string): Promise<void> {
	log(`${step} long strings: one row with a ${LONG_SIZES_MB.join('/')} MB string and one NDJSON line, one child process per measurement`);
	const summaries = await runLongStringsBench({ rounds: LONG_ROUNDS, log: (message) => log(message) });
	const section = longStringsMarkdown(summaries, {
		code: describeCode() === codeAtStart ? codeAtStart : `${codeAtStart}, then ${describeCode()}`,
		date: new Date().toISOString(),
		load: [loadAtStart, loadNow()],
		rounds: LONG_ROUNDS,
	});
	writeFileSync(RESULTS_FILE, withLongStringsSection(readFileSync(RESULTS_FILE, 'utf8'), section));
	console.log(`\n${section}\n`);
	log('wrote the long-strings section of bench/RESULTS.md');
}

/** `--only=…`: the chosen parts, each with its default settings; no full RESULTS.md rewrite. */
async function some(parts: Part[]): Promise<void> {
	const s = SETTINGS;
	const print = (name: string, value: unknown) => console.log(`${name}:\n${JSON.stringify(value, null, 1)}`);
	if (parts.includes('schedule')) print('schedule', await runScheduleBench({ jobs: s.scheduleJobs, from: s.scheduleRange[0], to: s.scheduleRange[1] }));
	if (parts.includes('manyInputs')) print('manyInputs', await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale }));
	if (parts.includes('realtime')) {
		print('realtime', await runRealtimeBench({ timeScale: s.realtimeTimeScale, rounds: 2, perRound: s.realtimeJobs / 2, fromSeconds: s.realtimeRange[0], toSeconds: s.realtimeRange[1] }));
	}
	if (parts.includes('bigDatasets')) print('bigDatasets', await runBigDatasetsBench({ sizes: s.bigSizes, rounds: s.bigRounds, timeScale: 1000 }));
	if (parts.includes('longStrings')) await longStrings('');
}

async function main(): Promise<void> {
	const parts = selectedParts(process.argv.slice(2));
	if (parts.length < PARTS.length) return await some(parts);
	const s = SETTINGS;
	log(`1/5 delay and requests: ${s.scheduleJobs} jobs per situation and contender, ${s.scheduleRange.join('–')} s, all at once, timeScale 1`);
	const schedule = await runScheduleBench({ jobs: s.scheduleJobs, from: s.scheduleRange[0], to: s.scheduleRange[1] });
	// Printed at once: the part takes five real minutes, and a later part may still fail.
	console.log(JSON.stringify(schedule));
	log(`2/5 many inputs: ${s.manyItems} items, timeScale ${s.manyTimeScale}`);
	const many = await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale });
	log(`3/5 real-time: ${s.realtimeJobs} inputs per contender, timeScale ${s.realtimeTimeScale}`);
	const realtime = await runRealtimeBench({
		timeScale: s.realtimeTimeScale,
		rounds: 2,
		perRound: s.realtimeJobs / 2,
		fromSeconds: s.realtimeRange[0],
		toSeconds: s.realtimeRange[1],
	});
	log(`4/5 big datasets: ${s.bigSizes.join(' and ')} rows, ${s.bigRounds} rounds, one child process per measurement`);
	const big = await runBigDatasetsBench({ sizes: s.bigSizes, rounds: s.bigRounds, timeScale: 1000 });

	const results: BenchResults = {
		machine: describeMachine(loadAtStart),
		code: describeCode() === codeAtStart ? codeAtStart : `${codeAtStart}, then ${describeCode()} (the code changed during the run)`,
		settings: s,
		schedule,
		many,
		big,
		realtime,
		totalSeconds: (performance.now() - started) / 1000,
	};
	writeFileSync(RESULTS_FILE, resultsMarkdown(results));
	writeFileSync(join(__dirname, 'chart.svg'), chartSvg(results));
	console.log(`\n${printedTables(results)}\n`);
	log('wrote bench/RESULTS.md and bench/chart.svg');
	await longStrings('5/5');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
