/**
 * Part 1 — delay after ready: every contender runs its own job of each collector at the same time
 * (same ready times, same emulator, same clock). Per job: (rows in hand − dataset ready) and the
 * requests spent on it.
 */
import type { RecordedRequest } from '../../emulator/server';
import { fixedReadyCollector } from '../collectors';
import { runNode, triggerAndWaitParams } from '../contenders/node';
import { halfSecondEarly, runHintPoller } from '../contenders/hintPoller';
import { runStarter } from '../contenders/starter';
import { startBenchEmulator, type BenchEmulator, type Stamp } from '../emulator';
import { mean, median, percentile } from '../measure';

export interface DelayContender {
	/** Lowercase letters only: it goes into input URLs and collector IDs. */
	key: string;
	label: string;
	/** Runs one job to the end; resolves with the moment its rows were in hand. */
	run: (emulator: BenchEmulator, collector: string, input: { url: string }) => Promise<Stamp>;
}

export const nodeDefault: DelayContender = {
	key: 'node',
	label: 'Trigger and Wait, default options (real n8n engine)',
	run: async (emulator, collector, input) => {
		const result = await runNode(emulator, triggerAndWaitParams(collector), [input]);
		if (result.status !== 'success' || result.items !== 1) throw new Error(`Trigger and Wait: ${result.status} ${result.error ?? ''}`);
		return result.emitted;
	},
};

export const nodeInterval30: DelayContender = {
	key: 'nodethirty',
	label: 'Trigger and Wait, Poll Interval 30 s (existing option)',
	run: async (emulator, collector, input) => {
		const result = await runNode(emulator, triggerAndWaitParams(collector, { options: { pollInterval: 30 } }), [input]);
		if (result.status !== 'success' || result.items !== 1) throw new Error(`Trigger and Wait: ${result.status} ${result.error ?? ''}`);
		return result.emitted;
	},
};

export const proposal: DelayContender = {
	key: 'proposal',
	label: 'What-if client: node policy, but poll 0.5 s before the hint (0.5 s floor)',
	run: async (emulator, collector, input) => (await runHintPoller(emulator, collector, [input], halfSecondEarly(10))).emitted,
};

export const starter: DelayContender = {
	key: 'starter',
	label: 'Official starter logic (5 s before each poll)',
	run: async (emulator, collector, input) => (await runStarter(emulator, collector, [input])).emitted,
};

/** One job of one contender, measured. */
export interface JobSample {
	contender: string;
	readyAfterSeconds: number;
	/** Emulated seconds from dataset ready to rows in hand, as measured on the scaled clock. */
	delay: number;
	/** Emulated seconds from dataset ready to the answer that carried the rows. */
	pollLag: number;
	/** Real seconds from that answer to rows in hand (download, parsing, the n8n engine). */
	tailReal: number;
	requests: number;
}

export interface DelaySummary {
	label: string;
	jobs: number;
	delayMedian: number;
	delayP95: number;
	/** pollLag + tailReal: the delay with processing time counted at its real length. */
	realScaleMedian: number;
	realScaleP95: number;
	requestsPerJob: number;
	totalRequests: number;
}

/**
 * `count` ready times spread evenly over [from, to]. Their fractions of a second are spread
 * evenly too, as real finish times would be: whole-second ready times would flatter a client
 * that polls on whole-second hints.
 */
export function spreadReadyTimes(count: number, from: number, to: number): number[] {
	return Array.from({ length: count }, (_, index) => from + ((to - from) * (index + 0.5)) / count);
}

interface PlannedJob {
	collector: string;
	readyAfterSeconds: number;
}

/**
 * Real ms between the starts of two jobs of a round (all contenders of one job start together):
 * two dozen n8n executions starting in the same millisecond would delay each other's first poll,
 * and the time scale would magnify that.
 */
const STAGGER_MS = 25;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runRound(emulator: BenchEmulator, jobs: PlannedJob[], contenders: DelayContender[]): Promise<JobSample[]> {
	const firstRequest = emulator.api.requests.length;
	const planned = jobs.flatMap((job, jobIndex) =>
		contenders.map((contender) => ({ job, jobIndex, contender, url: `https://bench.example/${contender.key}/${job.collector}` })),
	);
	const emitted = await Promise.all(
		planned.map(async ({ job, jobIndex, contender, url }) => {
			await pause(jobIndex * STAGGER_MS);
			return await contender.run(emulator, job.collector, { url });
		}),
	);

	const requests = emulator.api.requests.slice(firstRequest);
	const byJob = new Map<string, RecordedRequest[]>();
	for (const request of requests) {
		const id = request.query.id;
		if (id) byJob.set(id, [...(byJob.get(id) ?? []), request]);
	}
	const triggerUrl = (request: RecordedRequest) => (request.body as Array<{ url?: string }> | undefined)?.[0]?.url;
	const jobByUrl = new Map(emulator.api.jobs.map((job) => [String(job.inputs[0]?.url), job]));

	return planned.map(({ job, contender, url }, index) => {
		const view = jobByUrl.get(url);
		if (!view?.finished) throw new Error(`No finished job for ${url}`);
		const readyMs = Date.parse(view.finished);
		const polls = byJob.get(view.id) ?? [];
		const answer = polls.filter((request) => request.path === '/dca/dataset' && request.status === 200).pop();
		const answered = answer && emulator.stampOf(answer);
		if (!answered) throw new Error(`No answer with rows for ${view.id}`);
		const triggers = requests.filter((request) => request.path === '/dca/trigger' && triggerUrl(request) === url).length;
		return {
			contender: contender.label,
			readyAfterSeconds: job.readyAfterSeconds,
			delay: (emitted[index].emulatedMs - readyMs) / 1000,
			pollLag: (answered.emulatedMs - readyMs) / 1000,
			tailReal: (emitted[index].realMs - answered.realMs) / 1000,
			requests: triggers + polls.length,
		};
	});
}

export function summarise(samples: JobSample[], labels: string[]): DelaySummary[] {
	return labels.map((label) => {
		const mine = samples.filter((sample) => sample.contender === label);
		const realScale = mine.map((sample) => sample.pollLag + sample.tailReal);
		const totalRequests = mine.reduce((sum, sample) => sum + sample.requests, 0);
		return {
			label,
			jobs: mine.length,
			delayMedian: median(mine.map((sample) => sample.delay)),
			delayP95: percentile(mine.map((sample) => sample.delay), 95),
			realScaleMedian: median(realScale),
			realScaleP95: percentile(realScale, 95),
			requestsPerJob: mean(mine.map((sample) => sample.requests)),
			totalRequests,
		};
	});
}

export interface DelayPlan {
	timeScale: number;
	rounds: number;
	jobsPerRound: number;
	fromSeconds: number;
	toSeconds: number;
	contenders: DelayContender[];
	/** Prefix of the collector IDs (lowercase letters). */
	prefix: string;
}

/**
 * Runs `rounds` rounds one after the other; round r gets every rounds-th ready time, so each
 * round covers the whole spread. All contenders run each job of a round at the same time.
 */
export async function runDelayBench(plan: DelayPlan): Promise<{ samples: JobSample[]; summaries: DelaySummary[] }> {
	const readyTimes = spreadReadyTimes(plan.rounds * plan.jobsPerRound, plan.fromSeconds, plan.toSeconds);
	const jobs = readyTimes.map((readyAfterSeconds, index) => ({ collector: `c_${plan.prefix}${index}`, readyAfterSeconds }));
	const warmUp = `c_${plan.prefix}warmup`;
	const emulator = await startBenchEmulator({
		timeScale: plan.timeScale,
		collectors: [fixedReadyCollector(warmUp, 2), ...jobs.map(({ collector, readyAfterSeconds }) => fixedReadyCollector(collector, readyAfterSeconds))],
	});
	try {
		// Unmeasured: the first n8n executions of a process load and compile code.
		await Promise.all(plan.contenders.map((contender) => contender.run(emulator, warmUp, { url: `https://bench.example/warmup/${contender.key}` })));
		const samples: JobSample[] = [];
		for (let round = 0; round < plan.rounds; round++) {
			const roundJobs = jobs.filter((_, index) => index % plan.rounds === round);
			samples.push(...(await runRound(emulator, roundJobs, plan.contenders)));
		}
		return { samples, summaries: summarise(samples, plan.contenders.map(({ label }) => label)) };
	} finally {
		await emulator.close();
	}
}
