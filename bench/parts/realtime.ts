/**
 * Part 4 — real-time: the node's Run Real-time (trigger_immediate + get_result long-poll) against
 * a client polling get_result every second. One input per n8n execution, so each result's delay
 * is its own; both contenders run each collector at the same time.
 */
import { realtimeCollector } from '../collectors';
import { runNode, runRealtimeParams } from '../contenders/node';
import { runRealtimePoller } from '../contenders/realtimePoller';
import { startBenchEmulator, type BenchEmulator, type Stamp } from '../emulator';
import { spreadReadyTimes, summarise, type DelaySummary, type JobSample } from './delay';

interface RealtimeContender {
	key: string;
	label: string;
	run: (emulator: BenchEmulator, collector: string, input: { url: string }) => Promise<Stamp>;
}

const CONTENDERS: RealtimeContender[] = [
	{
		key: 'node',
		label: 'Run Real-time, default options (long-poll, real n8n engine)',
		run: async (emulator, collector, input) => {
			const result = await runNode(emulator, runRealtimeParams(collector), [input]);
			if (result.status !== 'success' || result.items !== 1) throw new Error(`Run Real-time: ${result.status} ${result.error ?? ''}`);
			return result.emitted;
		},
	},
	{
		key: 'poller',
		label: 'Client polling get_result every 1 s',
		run: async (emulator, collector, input) => (await runRealtimePoller(emulator, collector, input)).emitted,
	},
];

async function runRound(emulator: BenchEmulator, jobs: Array<{ collector: string; readySeconds: number }>): Promise<JobSample[]> {
	const first = emulator.api.requests.length;
	const planned = jobs.flatMap((job) => CONTENDERS.map((contender) => ({ job, contender, url: `https://bench.example/${contender.key}/${job.collector}` })));
	const emitted = await Promise.all(planned.map(({ job, contender, url }) => contender.run(emulator, job.collector, { url })));

	const requests = emulator.api.requests.slice(first);
	const responseByUrl = new Map(emulator.api.responses.map((response) => [String(response.input.url), response.id]));
	return planned.map(({ job, contender, url }, index) => {
		const responseId = responseByUrl.get(url);
		const trigger = requests.find((request) => request.path === '/dca/trigger_immediate' && (request.body as { url?: string })?.url === url);
		const created = trigger && emulator.stampOf(trigger);
		const polls = requests.filter((request) => request.query.response_id === responseId);
		const answer = polls.filter((request) => request.status === 200).pop();
		const answered = answer && emulator.stampOf(answer);
		if (!created || !answered) throw new Error(`Missing requests for ${url}`);
		const readyMs = created.emulatedMs + job.readySeconds * 1000;
		return {
			contender: contender.label,
			readyAfterSeconds: job.readySeconds,
			delay: (emitted[index].emulatedMs - readyMs) / 1000,
			pollLag: (answered.emulatedMs - readyMs) / 1000,
			tailReal: (emitted[index].realMs - answered.realMs) / 1000,
			requests: 1 + polls.length,
		};
	});
}

export async function runRealtimeBench(plan: { timeScale: number; rounds: number; perRound: number; fromSeconds: number; toSeconds: number }): Promise<DelaySummary[]> {
	const readyTimes = spreadReadyTimes(plan.rounds * plan.perRound, plan.fromSeconds, plan.toSeconds);
	const jobs = readyTimes.map((readySeconds, index) => ({ collector: `c_rt${index}`, readySeconds }));
	const emulator = await startBenchEmulator({
		timeScale: plan.timeScale,
		collectors: [realtimeCollector('c_rtwarmup', 1), ...jobs.map(({ collector, readySeconds }) => realtimeCollector(collector, readySeconds))],
	});
	try {
		// Unmeasured: the first n8n executions of a process load and compile code.
		await Promise.all(CONTENDERS.map((contender) => contender.run(emulator, 'c_rtwarmup', { url: `https://bench.example/warmup/${contender.key}` })));
		const samples: JobSample[] = [];
		for (let round = 0; round < plan.rounds; round++) {
			samples.push(...(await runRound(emulator, jobs.filter((_, index) => index % plan.rounds === round))));
		}
		return summarise(samples, CONTENDERS.map(({ label }) => label));
	} finally {
		await emulator.close();
	}
}
