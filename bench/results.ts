/** Everything one bench run measured, and the targets checked against it. */
import type { Machine } from './measure';
import type { BigSummary } from './parts/bigDatasets';
import { BASELINE_LABEL } from './parts/bigDatasets';
import type { DelaySummary } from './parts/delay';
import type { ManySummary } from './parts/manyInputs';

export interface BenchSettings {
	delayTimeScale: number;
	delayJobs: number;
	delayRange: [number, number];
	controlJobs: number;
	controlRange: [number, number];
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
	/** Part 1 at the scaled clock, and the same contenders at timeScale 1 (control). */
	delay: DelaySummary[];
	control: DelaySummary[];
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
export const TRIGGER_CALLS_TARGET = 10;
export const BIG_TIME_TARGET = 2;
export const BIG_MEMORY_TARGET = 3;
export const BIG_TARGET_ROWS = 100_000;

const f = (value: number, digits = 2) => value.toFixed(digits);

/** The node's figures are the first row of each part; the starter's is the last of part 1. */
export function checkTargets(results: BenchResults): Target[] {
	const [node] = results.control;
	const [nodeScaled] = results.delay;
	const starterScaled = results.delay[results.delay.length - 1];
	const requestRatio = nodeScaled.totalRequests / starterScaled.totalRequests;
	const [many] = results.many;
	const bigNode = results.big.filter(({ rows, label }) => rows === BIG_TARGET_ROWS && label !== BASELINE_LABEL);
	const slow = bigNode.filter(({ timeRatio }) => timeRatio > BIG_TIME_TARGET);
	const heavy = bigNode.filter(({ memoryRatio }) => memoryRatio > BIG_MEMORY_TARGET);
	const list = (cases: BigSummary[]) => (cases.length ? `; over: ${cases.map(({ label }) => label).join('; ')}` : '');
	return [
		{
			name: `Median delay after ready ≤ ${DELAY_TARGET_SECONDS} s at real time scale (Trigger and Wait, default options)`,
			measured: `${f(node.delayMedian, 3)} s at timeScale 1 (${node.jobs} jobs); ${f(nodeScaled.delayMedian)} s measured at timeScale ${results.settings.delayTimeScale}`,
			met: node.delayMedian <= DELAY_TARGET_SECONDS,
		},
		{
			name: `Requests ≤ ${REQUESTS_TARGET_RATIO}× the starter's on the same jobs`,
			measured: `${f(requestRatio)}× (${f(nodeScaled.requestsPerJob, 1)} vs ${f(starterScaled.requestsPerJob, 1)} per job)`,
			met: requestRatio <= REQUESTS_TARGET_RATIO,
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
