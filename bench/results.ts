/** Everything one bench run measured, and the targets checked against it. */
import type { Machine } from './measure';
import type { BigSummary } from './parts/bigDatasets';
import { BASELINE_LABEL } from './parts/bigDatasets';
import type { DelaySummary } from './parts/delay';
import { BARE_LABEL, HTTP_LABEL, ITEMS_LABEL, type ItemCostSummary } from './parts/itemCost';
import type { ManySummary } from './parts/manyInputs';
import { ALL_JOBS, NODE_LABEL, QUICKSTART_LABEL, type ScheduleSummary } from './parts/schedule';

export interface BenchSettings {
	/** Part 1: jobs per situation and contender, ready times spread log-uniformly over the range, timeScale 1. */
	scheduleJobs: number;
	scheduleRange: [number, number];
	manyItems: number;
	manyTimeScale: number;
	perItemConcurrency: number;
	perJobCost: string;
	bigSizes: number[];
	/** Part 3: rounds at each size (the same order). */
	bigRounds: number[];
	/** Part 2b: incoming items per run, and the rounds at each size (the same order). */
	itemSizes: number[];
	itemRounds: number[];
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
	itemCost: ItemCostSummary[];
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
/** Timer noise allowed when the node's delay is compared with the quickstart's on the same 5 s grid. */
export const SAME_GRID_NOISE_SECONDS = 0.1;
export const TRIGGER_CALLS_TARGET = 10;
export const BIG_TIME_TARGET = 2;
export const BIG_MEMORY_TARGET = 3;
export const BIG_TARGET_ROWS = 100_000;
/** File output at BIG_TARGET_ROWS rows: peak memory growth ≤ this × the payload (time: BIG_TIME_TARGET). */
export const FILE_MEMORY_TARGET = 2;
/** Items at which the node's busy time is judged against the HTTP Request node and the bare download. */
export const ITEM_TARGET_SIZES = [5_000, 20_000];
export const VS_HTTP_TARGET = 2;
export const VS_BARE_TARGET = 4;

const f = (value: number, digits = 2) => value.toFixed(digits);

/** The node's and the quickstart's row of one situation and job-length range of part 1. */
export function pairOf(
	results: BenchResults,
	situation: ScheduleSummary['situation'],
	range = ALL_JOBS,
): { node: ScheduleSummary; quick: ScheduleSummary } {
	const find = (label: string) => results.schedule.find((row) => row.situation === situation && row.range === range && row.label === label)!;
	return { node: find(NODE_LABEL), quick: find(QUICKSTART_LABEL) };
}

export function checkTargets(results: BenchResults): Target[] {
	const hint = pairOf(results, 'hint');
	const noHint = pairOf(results, 'noHint');
	const byRange = [...new Set(results.schedule.map(({ range }) => range))]
		.filter((range) => range !== ALL_JOBS)
		.map((range) => ({ range, ...pairOf(results, 'noHint', range) }));
	const noLater = ({ node, quick }: { node: ScheduleSummary; quick: ScheduleSummary }) =>
		node.delayMedian <= quick.delayMedian + SAME_GRID_NOISE_SECONDS && node.delayP95 <= quick.delayP95 + SAME_GRID_NOISE_SECONDS;
	const ratio = ({ node, quick }: { node: ScheduleSummary; quick: ScheduleSummary }) => node.totalRequests / quick.totalRequests;
	const measured = (pair: { node: ScheduleSummary; quick: ScheduleSummary }) =>
		`${f(pair.node.delayMedian)} s vs the quickstart's ${f(pair.quick.delayMedian)} s; requests ${f(ratio(pair))}× (${f(pair.node.requestsPerJob, 1)} vs ${f(pair.quick.requestsPerJob, 1)} per job)`;
	const [many] = results.many;
	return [
		{
			name: `With the hint: median delay ≤ ${DELAY_TARGET_SECONDS} s and requests ≤ ${REQUESTS_TARGET_RATIO}× the quickstart's (timeScale 1)`,
			measured: measured(hint),
			met: hint.node.delayMedian <= DELAY_TARGET_SECONDS && ratio(hint) <= REQUESTS_TARGET_RATIO,
		},
		{
			name: `Without the hint, all jobs and each job length: median and p95 delay ≤ the quickstart's (+${SAME_GRID_NOISE_SECONDS} s of timer noise), requests ≤ the quickstart's`,
			measured: [`all: ${measured(noHint)}`, ...byRange.map((pair) => `${pair.range}: ${f(pair.node.delayMedian)} / ${f(pair.node.delayP95)} s vs ${f(pair.quick.delayMedian)} / ${f(pair.quick.delayP95)} s, ${f(ratio(pair))}×`)].join('; '),
			met: [noHint, ...byRange].every((pair) => noLater(pair) && ratio(pair) <= 1),
		},
		{
			name: `${results.settings.manyItems.toLocaleString('en')} inputs in ≤ ${TRIGGER_CALLS_TARGET} trigger calls`,
			measured: `${many.triggerCalls} trigger call${many.triggerCalls === 1 ? '' : 's'}, ${many.apiCalls} API calls in all`,
			met: many.triggerCalls <= TRIGGER_CALLS_TARGET,
		},
		...itemCostTargets(results.itemCost),
		...bigTargets(results.big),
	];
}

/** Part 3's targets: every case at 100,000 rows, and the File output's own. */
export function bigTargets(big: BigSummary[]): Target[] {
	const bigNode = big.filter(({ rows, label }) => rows === BIG_TARGET_ROWS && label !== BASELINE_LABEL);
	// `!(x <= target)`: a failed case (NaN) is over, not within.
	const slow = bigNode.filter(({ timeRatio }) => !(timeRatio <= BIG_TIME_TARGET));
	const heavy = bigNode.filter(({ memoryRatio }) => !(memoryRatio <= BIG_MEMORY_TARGET));
	const list = (cases: BigSummary[]) => (cases.length ? `; over: ${cases.map(({ label }) => label).join('; ')}` : '');
	const files = bigNode.filter(({ label }) => label.includes('(file '));
	const filesMet = files.length > 0 && files.every(({ memoryRatio, timeRatio }) => memoryRatio <= FILE_MEMORY_TARGET && timeRatio <= BIG_TIME_TARGET);
	return [
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
		{
			name: `File output, ${BIG_TARGET_ROWS.toLocaleString('en')} rows (JSON, NDJSON, CSV): peak memory growth ≤ ${FILE_MEMORY_TARGET}× the payload and time ≤ ${BIG_TIME_TARGET}× the bare baseline`,
			measured: files.map(({ label, memoryRatio, timeRatio }) => `${label}: ${f(memoryRatio)}× / ${f(timeRatio)}×`).join('; '),
			met: filesMet,
		},
	];
}

/** A case's figure per row (ms → µs, bytes); NaN for a case that failed or was not run. */
export function perRow(row: BigSummary | undefined, figure: 'ms' | 'peakGrowthBytes'): number {
	if (!row || row.failure) return NaN;
	return (figure === 'ms' ? row.ms * 1000 : row.peakGrowthBytes) / row.rows;
}

/**
 * Time and peak memory per row of one case at the largest size ÷ at BIG_TARGET_ROWS rows:
 * about 1 where growth is linear, below 1 where part of the cost is fixed.
 */
export function perRowGrowth(big: BigSummary[], label: string): { time: number; memory: number } {
	const largest = Math.max(...big.map(({ rows }) => rows));
	const at = (rows: number) => big.find((row) => row.rows === rows && row.label === label);
	const ratio = (figure: 'ms' | 'peakGrowthBytes') => perRow(at(largest), figure) / perRow(at(BIG_TARGET_ROWS), figure);
	return { time: ratio('ms'), memory: ratio('peakGrowthBytes') };
}

/** Part 2b's targets: the node's busy time per item against n8n's HTTP Request node and a bare download. */
export function itemCostTargets(itemCost: ItemCostSummary[]): Target[] {
	const judged = ITEM_TARGET_SIZES.map((items) => itemCost.find((row) => row.items === items && row.label === ITEMS_LABEL)).filter(
		(row): row is ItemCostSummary => row !== undefined,
	);
	const httpMeasured = itemCost.some(({ label }) => label === HTTP_LABEL);
	const sizes = ITEM_TARGET_SIZES.map((n) => n.toLocaleString('en')).join(' and ');
	return [
		{
			name: `${sizes} items: the node's busy time ≤ ${VS_HTTP_TARGET}× n8n's HTTP Request node on the same rows`,
			measured: httpMeasured
				? judged.map((row) => `${row.items.toLocaleString('en')}: ${f(row.vsHttp)}×`).join('; ')
				: "not measured: n8n-nodes-base (the real n8n install) was not found",
			met: httpMeasured && judged.length === ITEM_TARGET_SIZES.length && judged.every(({ vsHttp }) => vsHttp <= VS_HTTP_TARGET),
		},
		{
			name: `${sizes} items: the node's busy time ≤ ${VS_BARE_TARGET}× ${BARE_LABEL.replace(', N rows', '')}`,
			measured: judged.map((row) => `${row.items.toLocaleString('en')}: ${f(row.vsBare)}×`).join('; '),
			met: judged.length === ITEM_TARGET_SIZES.length && judged.every(({ vsBare }) => vsBare <= VS_BARE_TARGET),
		},
	];
}
