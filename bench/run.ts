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
import { nodeDefault, nodeInterval30, proposal, runDelayBench, starter } from './parts/delay';
import { runItemCostBench } from './parts/itemCost';
import { PER_ITEM_CONCURRENCY, runManyInputsBench } from './parts/manyInputs';
import { runRealtimeBench } from './parts/realtime';
import { printedTables, resultsMarkdown } from './report';
import type { BenchResults, BenchSettings } from './results';

const SETTINGS: BenchSettings = {
	delayTimeScale: 20,
	delayJobs: 72,
	delayRange: [2, 120],
	controlJobs: 48,
	controlRange: [2, 15],
	manyItems: 10_000,
	manyTimeScale: 50,
	perItemConcurrency: PER_ITEM_CONCURRENCY,
	perJobCost: perJobCostDescription,
	// --huge adds 400,000 rows (about 410 MB): the emulator builds each answer as one string, and
	// V8 strings stop at 512 MB, so 1,000,000 rows of 1 KB cannot be served.
	bigSizes: process.argv.includes('--huge') ? [10_000, 100_000, 400_000] : [10_000, 100_000],
	itemSizes: [1_000, 5_000, 10_000, 20_000, 100_000],
	itemRounds: '2 rounds up to 20,000 items, 1 at 100,000',
	bigRounds: 2,
	realtimeTimeScale: 20,
	realtimeJobs: 48,
	realtimeRange: [1, 60],
};

/** Node default first, the starter last: results.ts and chart.ts rely on that order. */
const DELAY_CONTENDERS = [nodeDefault, nodeInterval30, proposal, starter];

const started = performance.now();
const loadAtStart = loadNow();
const codeAtStart = describeCode();
const log = (message: string) => console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);

async function main(): Promise<void> {
	const s = SETTINGS;
	log(`1/4 delay after ready: ${s.delayJobs} jobs per contender, ${s.delayRange.join('–')} s, timeScale ${s.delayTimeScale}`);
	const delay = await runDelayBench({
		timeScale: s.delayTimeScale,
		rounds: 3,
		jobsPerRound: s.delayJobs / 3,
		fromSeconds: s.delayRange[0],
		toSeconds: s.delayRange[1],
		contenders: DELAY_CONTENDERS,
		prefix: 'delay',
	});
	log(`1/4 control at real speed: ${s.controlJobs} jobs per contender, ${s.controlRange.join('–')} s, timeScale 1`);
	const control = await runDelayBench({
		timeScale: 1,
		rounds: 1,
		jobsPerRound: s.controlJobs,
		fromSeconds: s.controlRange[0],
		toSeconds: s.controlRange[1],
		contenders: DELAY_CONTENDERS,
		prefix: 'control',
	});
	log(`2/4 many inputs: ${s.manyItems} items, timeScale ${s.manyTimeScale}`);
	const many = await runManyInputsBench({ items: s.manyItems, timeScale: s.manyTimeScale });
	log(`2/4 cost per item: ${s.itemSizes.join(', ')} items, one child process per measurement`);
	const itemCost = await runItemCostBench({ sizes: s.itemSizes, rounds: (items) => (items > 20_000 ? 1 : 2) });
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
		delay: delay.summaries,
		control: control.summaries,
		many,
		big,
		itemCost,
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
