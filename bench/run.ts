/**
 * `npm run bench`: the node against the alternatives, side by side on the emulator, in one run.
 * Writes bench/RESULTS.md and bench/chart.svg and prints the tables. See RESULTS.md for the method.
 */
import './env';

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chartSvg } from './chart';
import { perJobCostDescription } from './collectors';
import { describeCode, describeMachine, loadNow } from './measure';
import { runBigDatasetsBench } from './parts/bigDatasets';
import { PER_ITEM_CONCURRENCY, runManyInputsBench } from './parts/manyInputs';
import { runRealtimeBench } from './parts/realtime';
import { runScheduleBench } from './parts/schedule';
import { printedTables, resultsMarkdown } from './report';
import type { BenchResults, BenchSettings } from './results';

const SETTINGS: BenchSettings = {
	scheduleJobs: 24,
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

const started = performance.now();
const loadAtStart = loadNow();
const codeAtStart = describeCode();
const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

async function main(): Promise<void> {
	const s = SETTINGS;
	log(`1/4 delay and requests: ${s.scheduleJobs} jobs per situation and contender, ${s.scheduleRange.join('–')} s, all at once, timeScale 1`);
	const schedule = await runScheduleBench({ jobs: s.scheduleJobs, from: s.scheduleRange[0], to: s.scheduleRange[1] });
	// Printed at once: the part takes five real minutes, and a later part may still fail.
	console.log(JSON.stringify(schedule));
	log(`2/4 many inputs: ${s.manyItems} items, timeScale ${s.manyTimeScale}`);
	const many = await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale });
	log(`3/4 real-time: ${s.realtimeJobs} inputs per contender, timeScale ${s.realtimeTimeScale}`);
	const realtime = await runRealtimeBench({
		timeScale: s.realtimeTimeScale,
		rounds: 2,
		perRound: s.realtimeJobs / 2,
		fromSeconds: s.realtimeRange[0],
		toSeconds: s.realtimeRange[1],
	});
	log(`4/4 big datasets: ${s.bigSizes.join(' and ')} rows, ${s.bigRounds} rounds, one child process per measurement`);
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
	writeFileSync(join(__dirname, 'RESULTS.md'), resultsMarkdown(results));
	writeFileSync(join(__dirname, 'chart.svg'), chartSvg(results));
	console.log(`\n${printedTables(results)}\n`);
	log('wrote bench/RESULTS.md and bench/chart.svg');
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
