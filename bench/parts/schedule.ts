/**
 * Part 1 — delay after ready and requests, for the node's default, Bright Data's quickstart loop
 * (sleep 5 s, GET, repeat) and a fixed 1 s loop, on jobs ready 3–300 s after the trigger, with and
 * without the pending answer's "try again in N s", over all jobs and by job length. Every job of
 * every contender and situation runs at the same time, at the emulator's real time scale
 * (timeScale 1): the run lasts about as long as the longest job.
 */
import type { RecordedRequest } from '../../emulator/server';
import { fixedReadyCollector } from '../collectors';
import { runHintPoller } from '../contenders/hintPoller';
import { runNode, triggerAndWaitParams } from '../contenders/node';
import { runStarter } from '../contenders/starter';
import { startBenchEmulator, type BenchEmulator, type Stamp } from '../emulator';
import { mean, median, percentile } from '../measure';

export type Situation = 'hint' | 'noHint';

export const SITUATIONS: Array<{ key: Situation; label: string }> = [
	{ key: 'hint', label: 'with the hint' },
	{ key: 'noHint', label: 'without the hint' },
];

/** Job lengths summarised apart, besides all jobs: short, the quickstart's typical 30–90 s, long. */
export const RANGES: Array<[number, number]> = [
	[3, 25],
	[25, 90],
	[90, 300],
];
export const ALL_JOBS = 'all';

export interface ScheduleContender {
	/** Lowercase letters only: it goes into input URLs and collector IDs. */
	key: string;
	label: string;
	run: (emulator: BenchEmulator, collector: string, input: { url: string }) => Promise<Stamp>;
}

export const NODE_LABEL = 'Trigger and Wait, default options (real n8n engine)';
export const QUICKSTART_LABEL = "Bright Data's quickstart loop (sleep 5 s, GET)";
export const FIXED_LABEL = 'Fixed 1 s loop';

export const SCHEDULE_CONTENDERS: ScheduleContender[] = [
	{
		key: 'node',
		label: NODE_LABEL,
		run: async (emulator, collector, input) => {
			const result = await runNode(emulator, triggerAndWaitParams(collector, { options: { timeout: 900 } }), [input]);
			if (result.status !== 'success' || result.items !== 1) throw new Error(`Trigger and Wait: ${result.status} ${result.error ?? ''}`);
			return result.emitted;
		},
	},
	{ key: 'quick', label: QUICKSTART_LABEL, run: async (emulator, collector, input) => (await runStarter(emulator, collector, [input])).emitted },
	{
		key: 'fixed',
		label: FIXED_LABEL,
		run: async (emulator, collector, input) => (await runHintPoller(emulator, collector, [input], () => 1)).emitted,
	},
];

export interface ScheduleSummary {
	situation: Situation;
	/** ALL_JOBS, or a job-length range such as '3–25 s'. */
	range: string;
	label: string;
	jobs: number;
	delayMedian: number;
	delayP95: number;
	/** Median of (answer that carried the rows − ready): the schedule alone, without the processing after it. */
	answerLagMedian: number;
	requestsPerJob: number;
	logRequestsPerJob: number;
	totalRequests: number;
}

/**
 * `count` ready times spread log-uniformly over [from, to]: as many jobs of 3–30 s as of 30–300 s,
 * so that the quickstart's typical 30–90 s (1–10 inputs) sits in the middle. Fractions of a second
 * are spread too, as real finish times would be.
 */
export function logSpread(count: number, from: number, to: number): number[] {
	return Array.from({ length: count }, (_, index) => from * Math.exp(((index + 0.5) / count) * Math.log(to / from)));
}

interface Planned {
	situation: Situation;
	contender: ScheduleContender;
	collector: string;
	readyAfterSeconds: number;
	url: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runScheduleBench({ jobs, from, to }: { jobs: number; from: number; to: number }): Promise<ScheduleSummary[]> {
	const readyTimes = logSpread(jobs, from, to);
	const collectors = SITUATIONS.flatMap(({ key }) =>
		readyTimes.map((seconds, index) => ({
			...fixedReadyCollector(`c_${key.toLowerCase()}${index}`, seconds),
			pendingHint: key === 'hint',
			logProgress: 'missing' as const,
		})),
	);
	const emulator = await startBenchEmulator({ timeScale: 1, collectors: [...collectors, fixedReadyCollector('c_warmup', 2)] });
	try {
		// Unmeasured: the first n8n executions of a process load and compile code.
		await Promise.all(SCHEDULE_CONTENDERS.map((contender) => contender.run(emulator, 'c_warmup', { url: `https://bench.example/warmup/${contender.key}` })));
		const firstRequest = emulator.api.requests.length;
		const planned: Planned[] = SITUATIONS.flatMap(({ key }) =>
			readyTimes.flatMap((readyAfterSeconds, index) =>
				SCHEDULE_CONTENDERS.map((contender) => {
					const collector = `c_${key.toLowerCase()}${index}`;
					return { situation: key, contender, collector, readyAfterSeconds, url: `https://bench.example/${contender.key}/${collector}` };
				}),
			),
		);
		// Starts spread over the first 2 s so that 200 executions do not start in the same millisecond.
		const emitted = await Promise.all(
			planned.map(async (job, index) => {
				await pause((index * 2000) / planned.length);
				return await job.contender.run(emulator, job.collector, { url: job.url });
			}),
		);
		return summarise(emulator, planned, emitted, emulator.api.requests.slice(firstRequest));
	} finally {
		await emulator.close();
	}
}

function summarise(emulator: BenchEmulator, planned: Planned[], emitted: Stamp[], requests: RecordedRequest[]): ScheduleSummary[] {
	const jobOf = (request: RecordedRequest): string | undefined => request.query.id ?? request.path.match(/^\/dca\/log\/(.+)$/)?.[1];
	const byJob = new Map<string, RecordedRequest[]>();
	for (const request of requests) {
		const id = jobOf(request);
		if (id) byJob.set(id, [...(byJob.get(id) ?? []), request]);
	}
	const jobByUrl = new Map(emulator.api.jobs.map((job) => [String(job.inputs[0]?.url), job]));
	const samples = planned.map((job, index) => {
		const view = jobByUrl.get(job.url);
		if (!view?.finished) throw new Error(`No finished job for ${job.url}`);
		const mine = byJob.get(view.id) ?? [];
		const answer = mine.filter((request) => request.path === '/dca/dataset' && request.status === 200).pop();
		const answered = answer && emulator.stampOf(answer);
		return {
			situation: job.situation,
			readyAfterSeconds: job.readyAfterSeconds,
			label: job.contender.label,
			delay: (emitted[index].emulatedMs - Date.parse(view.finished)) / 1000,
			answerLag: answered ? (answered.emulatedMs - Date.parse(view.finished)) / 1000 : NaN,
			// The trigger, every dataset check and every job log read.
			requests: 1 + mine.length,
			logRequests: mine.filter((request) => request.path.startsWith('/dca/log/')).length,
		};
	});
	const ranges = [{ range: ALL_JOBS, from: 0, to: Infinity }, ...RANGES.map(([from, to]) => ({ range: `${from}–${to} s`, from, to }))];
	return SITUATIONS.flatMap(({ key }) =>
		ranges.flatMap(({ range, from, to }) => SCHEDULE_CONTENDERS.map(({ label }) => {
			const group = samples.filter((sample) => sample.situation === key && sample.label === label && sample.readyAfterSeconds >= from && sample.readyAfterSeconds < to);
			return {
				situation: key,
				range,
				label,
				jobs: group.length,
				delayMedian: median(group.map(({ delay }) => delay)),
				delayP95: percentile(group.map(({ delay }) => delay), 95),
				answerLagMedian: median(group.map(({ answerLag }) => answerLag)),
				requestsPerJob: mean(group.map(({ requests }) => requests)),
				logRequestsPerJob: mean(group.map(({ logRequests }) => logRequests)),
				totalRequests: group.reduce((sum, { requests }) => sum + requests, 0),
			};
		})),
	);
}
