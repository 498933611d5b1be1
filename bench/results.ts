/** Everything one bench run measured, and the targets checked against it. */
import type { Machine } from './measure';
import type { BigSummary } from './parts/bigDatasets';
import { BASELINE_LABEL } from './parts/bigDatasets';
import type { DelaySummary } from './parts/delay';
import type { ManySummary } from './parts/manyInputs';
import { BARE_LABEL, HTTP_LABEL, ITEMS_LABEL, type ItemCostSummary } from './parts/itemCost';

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
	/** Part 2b: incoming items per run, and rounds for each size. */
	itemSizes: number[];
	itemRounds: string;
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
export const TRIGGER_CALLS_TARGET = 10;
export const BIG_TIME_TARGET = 2;
export const BIG_MEMORY_TARGET = 3;
export const BIG_TARGET_ROWS = 100_000;
/** File output at BIG_TARGET_ROWS rows: peak memory growth ≤ this × the payload. */
export const FILE_MEMORY_TARGET = 2;
/** Items at which the node's busy time is judged against the HTTP Request node and the bare download. */
export const ITEM_TARGET_SIZES = [5_000, 20_000];
export const VS_HTTP_TARGET = 2;
export const VS_BARE_TARGET = 4;

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
	const files = bigNode.filter(({ label }) => label.includes('(file '));
	const heavyFiles = files.filter(({ memoryRatio }) => memoryRatio > FILE_MEMORY_TARGET);
	const slowFiles = files.filter(({ timeRatio }) => timeRatio > BIG_TIME_TARGET);
	const itemNode = (items: number) => results.itemCost.find((row) => row.items === items && row.label === ITEMS_LABEL);
	const judged = ITEM_TARGET_SIZES.map(itemNode).filter((row): row is ItemCostSummary => row !== undefined);
	const httpMeasured = results.itemCost.some(({ label }) => label === HTTP_LABEL);
	const itemsText = ITEM_TARGET_SIZES.map((n) => n.toLocaleString('en')).join(' and ');
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
		{
			name: `File output, ${BIG_TARGET_ROWS.toLocaleString('en')} rows (JSON, NDJSON, CSV): peak memory growth ≤ ${FILE_MEMORY_TARGET}× the payload and time ≤ ${BIG_TIME_TARGET}× the bare baseline`,
			measured: files.map(({ label, memoryRatio, timeRatio }) => `${label}: ${f(memoryRatio)}× / ${f(timeRatio)}×`).join('; '),
			met: files.length > 0 && heavyFiles.length === 0 && slowFiles.length === 0,
		},
		{
			name: `${itemsText} items: the node's busy time ≤ ${VS_HTTP_TARGET}× n8n's HTTP Request node on the same rows`,
			measured: httpMeasured
				? judged.map((row) => `${row.items.toLocaleString('en')}: ${f(row.vsHttp)}×`).join('; ')
				: 'not measured: n8n-nodes-base (the real n8n install) was not found',
			met: httpMeasured && judged.length > 0 && judged.every(({ vsHttp }) => vsHttp <= VS_HTTP_TARGET),
		},
		{
			name: `${itemsText} items: the node's busy time ≤ ${VS_BARE_TARGET}× ${BARE_LABEL.replace(', N rows', '')}`,
			measured: judged.map((row) => `${row.items.toLocaleString('en')}: ${f(row.vsBare)}×`).join('; '),
			met: judged.length > 0 && judged.every(({ vsBare }) => vsBare <= VS_BARE_TARGET),
		},
	];
}
