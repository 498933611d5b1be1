/**
 * `npm run bench`: the node against the alternatives, side by side on the emulator, in one run.
 * Writes bench/RESULTS.md and bench/chart.svg and prints the tables. See RESULTS.md for the method.
 *
 * `npm run bench -- --only=longStrings` (comma-separated part names: schedule, manyInputs, realtime,
 * itemCost, bigDatasets, longStrings) runs only those parts. The sections of itemCost, bigDatasets and
 * longStrings in RESULTS.md are then replaced on their own (each says when it ran, at what load, and
 * its own targets); the other parts' figures are printed as JSON, and RESULTS.md keeps its sections
 * from the last full run (they are ratios within one run, so they are not mixed).
 *
 * `npm run bench -- --only=hub` runs the hub bench instead (bench/hub.mjs: n8n in queue mode with
 * Postgres, Redis, two workers and a webhook process; about 20 minutes), which writes its own
 * section of RESULTS.md and bench/hub-chart.svg. It is not part of the full run.
 */
import './env';

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chartSvg } from './chart';
import { perJobCostDescription } from './collectors';
import { describeCode, describeMachine, loadNow } from './measure';
import { runBigDatasetsBench } from './parts/bigDatasets';
import { runItemCostBench } from './parts/itemCost';
import { LONG_SECTION, LONG_SIZES_MB, longStringsMarkdown, runLongStringsBench } from './parts/longStrings';
import { PER_ITEM_CONCURRENCY, runManyInputsBench } from './parts/manyInputs';
import { runRealtimeBench } from './parts/realtime';
import { runScheduleBench } from './parts/schedule';
import { BIG_SECTION, bigSection, ITEM_COST_SECTION, itemCostSection, printedTables, resultsMarkdown } from './report';
import type { BenchResults, BenchSettings } from './results';
import { sectionOf, withSection, type PartRun } from './sections';

const SETTINGS: BenchSettings = {
	scheduleJobs: 48,
	scheduleRange: [3, 300],
	manyItems: 10_000,
	manyTimeScale: 50,
	perItemConcurrency: PER_ITEM_CONCURRENCY,
	perJobCost: perJobCostDescription,
	// 1,000,000 rows of 1 KB is a 1 GB answer: the emulator sends it in pieces (no string can hold
	// it), and one round of it takes minutes, so it gets one round.
	bigSizes: [10_000, 100_000, 1_000_000],
	bigRounds: [3, 3, 1],
	itemSizes: [1_000, 5_000, 10_000, 20_000, 100_000],
	itemRounds: [3, 3, 3, 3, 1],
	realtimeTimeScale: 20,
	realtimeJobs: 48,
	realtimeRange: [1, 60],
};

const PARTS = ['schedule', 'manyInputs', 'itemCost', 'realtime', 'bigDatasets', 'longStrings'] as const;
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
	writeFileSync(RESULTS_FILE, withSection(readFileSync(RESULTS_FILE, 'utf8'), LONG_SECTION, section));
	console.log(`\n${section}\n`);
	log('wrote the long-strings section of bench/RESULTS.md');
}

/** Runs one part alone and replaces its section of RESULTS.md, which says when it ran and at what load. */
async function partSection<T>(part: Part, name: string, measure: () => Promise<T>, render: (result: T, run: PartRun) => string): Promise<void> {
	const loadBefore = loadNow();
	const code = describeCode();
	log(`${part}: 1-minute load average ${loadBefore.toFixed(1)} at the start`);
	const result = await measure();
	console.log(`${part}:\n${JSON.stringify(result, null, 1)}`);
	const run: PartRun = { code: describeCode() === code ? code : `${code}, then ${describeCode()}`, date: new Date().toISOString(), load: [loadBefore, loadNow()] };
	const section = render(result, run);
	writeFileSync(RESULTS_FILE, withSection(readFileSync(RESULTS_FILE, 'utf8'), name, section));
	console.log(`\n${section}\n`);
	log(`wrote the ${part} section of bench/RESULTS.md (load average ${run.load[1].toFixed(1)} at the end)`);
}

const itemCostOf = (s: BenchSettings) => runItemCostBench({ sizes: s.itemSizes, rounds: (items) => s.itemRounds[s.itemSizes.indexOf(items)] });
const bigOf = (s: BenchSettings) => runBigDatasetsBench({ sizes: s.bigSizes, rounds: (rows) => s.bigRounds[s.bigSizes.indexOf(rows)], timeScale: 1000 });

/** `--only=…`: the chosen parts, each with its default settings; no full RESULTS.md rewrite. */
async function some(parts: Part[]): Promise<void> {
	const s = SETTINGS;
	const print = (name: string, value: unknown) => console.log(`${name}:\n${JSON.stringify(value, null, 1)}`);
	if (parts.includes('schedule')) print('schedule', await runScheduleBench({ jobs: s.scheduleJobs, from: s.scheduleRange[0], to: s.scheduleRange[1] }));
	if (parts.includes('manyInputs')) print('manyInputs', await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale }));
	if (parts.includes('realtime')) {
		print('realtime', await runRealtimeBench({ timeScale: s.realtimeTimeScale, rounds: 2, perRound: s.realtimeJobs / 2, fromSeconds: s.realtimeRange[0], toSeconds: s.realtimeRange[1] }));
	}
	if (parts.includes('itemCost')) await partSection('itemCost', ITEM_COST_SECTION, () => itemCostOf(s), (result, run) => itemCostSection(result, s, run));
	if (parts.includes('bigDatasets')) {
		await partSection('bigDatasets', BIG_SECTION, () => bigOf(s), (result, run) => bigSection(result, s, run));
	}
	if (parts.includes('longStrings')) await longStrings('');
}

/** `--only=hub`: the hub bench, in its own process (it starts real n8n processes); other flags are passed on. */
function hub(argv: string[]): void {
	const rest = argv.filter((arg) => arg !== '--only=hub');
	const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'hub.mjs'), '--write', ...rest], { stdio: 'inherit' });
	process.exitCode = run.status ?? 1;
}

async function main(): Promise<void> {
	if (process.argv.includes('--only=hub')) return hub(process.argv.slice(2));
	const parts = selectedParts(process.argv.slice(2));
	if (parts.length < PARTS.length) return await some(parts);
	const s = SETTINGS;
	log(`1/5 delay and requests: ${s.scheduleJobs} jobs per situation and contender, ${s.scheduleRange.join('–')} s, all at once, timeScale 1`);
	const schedule = await runScheduleBench({ jobs: s.scheduleJobs, from: s.scheduleRange[0], to: s.scheduleRange[1] });
	// Printed at once: the part takes five real minutes, and a later part may still fail.
	console.log(JSON.stringify(schedule));
	log(`2/5 many inputs: ${s.manyItems} items, timeScale ${s.manyTimeScale}`);
	const many = await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale });
	log(`2b/5 cost per item: ${s.itemSizes.join(', ')} items, one child process per measurement`);
	const itemCost = await itemCostOf(s);
	log(`3/5 real-time: ${s.realtimeJobs} inputs per contender, timeScale ${s.realtimeTimeScale}`);
	const realtime = await runRealtimeBench({
		timeScale: s.realtimeTimeScale,
		rounds: 2,
		perRound: s.realtimeJobs / 2,
		fromSeconds: s.realtimeRange[0],
		toSeconds: s.realtimeRange[1],
	});
	log(`4/5 big datasets: ${s.bigSizes.join(', ')} rows, ${s.bigRounds.join(', ')} rounds, one child process per measurement`);
	const big = await bigOf(s);

	const results: BenchResults = {
		machine: describeMachine(loadAtStart),
		code: describeCode() === codeAtStart ? codeAtStart : `${codeAtStart}, then ${describeCode()} (the code changed during the run)`,
		settings: s,
		schedule,
		many,
		big,
		itemCost,
		realtime,
		totalSeconds: (performance.now() - started) / 1000,
	};
	// The hub section comes from its own bench (--only=hub): kept as it is.
	const hubSection = sectionOf(readFileSync(RESULTS_FILE, 'utf8'), 'hub');
	writeFileSync(RESULTS_FILE, hubSection ? withSection(resultsMarkdown(results), 'hub', hubSection) : resultsMarkdown(results));
	writeFileSync(join(__dirname, 'chart.svg'), chartSvg(results));
	console.log(`\n${printedTables(results)}\n`);
	log('wrote bench/RESULTS.md and bench/chart.svg');
	await longStrings('5/5');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
