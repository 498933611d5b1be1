/** Everything one bench run measured, and the targets checked against it. */
import type { Machine } from './measure';
import type { BigSummary } from './parts/bigDatasets';
import { BASELINE_LABEL } from './parts/bigDatasets';
import type { DelaySummary } from './parts/delay';
import type { ManySummary } from './parts/manyInputs';
import { NODE_LABEL, QUICKSTART_LABEL, type ScheduleSummary } from './parts/schedule';

export interface BenchSettings {
	/** Part 1: jobs per situation and contender, ready times spread log-uniformly over the range, timeScale 1. */
	scheduleJobs: number;
	scheduleRange: [number, number];
	manyItems: number;
	manyTimeScale: number;
	perItemConcurrency: number;
	perJobCost: string;
	bigSizes: number[];
	bigRounds: number;
	realtimeTimeScale: number;
	realtimeJobs: number;
	realtimeRange: [number, number];
}

export interface BenchResults {
	machine: Machine;
	/** Commit of the measured node code. */
	code: string;
	settings: BenchSettings;
	/** Part 1: each situation × contender at timeScale 1. */
	schedule: ScheduleSummary[];
	many: ManySummary[];
	big: BigSummary[];
	realtime: DelaySummary[];
	totalSeconds: number;
}

export interface Target {
	name: string;
	measured: string;
	met: boolean;
}

export const DELAY_TARGET_SECONDS = 0.5;
export const REQUESTS_TARGET_RATIO = 0.5;
export const PROGRESS_DELAY_TARGET_SECONDS = 1;
export const TRIGGER_CALLS_TARGET = 10;
export const BIG_TIME_TARGET = 2;
export const BIG_MEMORY_TARGET = 3;
export const BIG_TARGET_ROWS = 100_000;

const f = (value: number, digits = 2) => value.toFixed(digits);

/** The node's and the quickstart's row of one situation of part 1. */
export function pairOf(results: BenchResults, situation: ScheduleSummary['situation']): { node: ScheduleSummary; quick: ScheduleSummary } {
	const find = (label: string) => results.schedule.find((row) => row.situation === situation && row.label === label)!;
	return { node: find(NODE_LABEL), quick: find(QUICKSTART_LABEL) };
}

export function checkTargets(results: BenchResults): Target[] {
	const hint = pairOf(results, 'hint');
	const noHint = pairOf(results, 'noHint');
	const progress = pairOf(results, 'progress');
	const ratio = ({ node, quick }: { node: ScheduleSummary; quick: ScheduleSummary }) => node.totalRequests / quick.totalRequests;
	const measured = (pair: { node: ScheduleSummary; quick: ScheduleSummary }) =>
		`${f(pair.node.delayMedian)} s vs the quickstart's ${f(pair.quick.delayMedian)} s; requests ${f(ratio(pair))}× (${f(pair.node.requestsPerJob, 1)} vs ${f(pair.quick.requestsPerJob, 1)} per job)`;
	const [many] = results.many;
	const bigNode = results.big.filter(({ rows, label }) => rows === BIG_TARGET_ROWS && label !== BASELINE_LABEL);
	const slow = bigNode.filter(({ timeRatio }) => timeRatio > BIG_TIME_TARGET);
	const heavy = bigNode.filter(({ memoryRatio }) => memoryRatio > BIG_MEMORY_TARGET);
	const list = (cases: BigSummary[]) => (cases.length ? `; over: ${cases.map(({ label }) => label).join('; ')}` : '');
	return [
		{
			name: `With the hint: median delay ≤ ${DELAY_TARGET_SECONDS} s and requests ≤ ${REQUESTS_TARGET_RATIO}× the quickstart's (timeScale 1)`,
			measured: measured(hint),
			met: hint.node.delayMedian <= DELAY_TARGET_SECONDS && ratio(hint) <= REQUESTS_TARGET_RATIO,
		},
		{
			name: "Without the hint or progress data: median delay and requests ≤ the quickstart's",
			measured: measured(noHint),
			met: noHint.node.delayMedian <= noHint.quick.delayMedian && ratio(noHint) <= 1,
		},
		{
			name: `Without the hint, with log progress: median delay ≤ ${PROGRESS_DELAY_TARGET_SECONDS} s at ≤ the quickstart's requests`,
			measured: measured(progress),
			met: progress.node.delayMedian <= PROGRESS_DELAY_TARGET_SECONDS && ratio(progress) <= 1,
		},
		{
			name: `${results.settings.manyItems.toLocaleString('en')} inputs in ≤ ${TRIGGER_CALLS_TARGET} trigger calls`,
			measured: `${many.triggerCalls} trigger calls, ${many.apiCalls} API calls in all`,
			met: many.triggerCalls <= TRIGGER_CALLS_TARGET,
		},
		{
			name: `${BIG_TARGET_ROWS.toLocaleString('en')} rows in ≤ ${BIG_TIME_TARGET}× the bare baseline's time (each operation × output mode)`,
			measured: `${bigNode.length - slow.length} of ${bigNode.length} cases within${list(slow)}`,
			met: slow.length === 0,
		},
		{
			name: `${BIG_TARGET_ROWS.toLocaleString('en')} rows in ≤ ${BIG_MEMORY_TARGET}× the payload in peak memory (each operation × output mode)`,
			measured: `${bigNode.length - heavy.length} of ${bigNode.length} cases within${list(heavy)}`,
			met: heavy.length === 0,
		},
	];
}
