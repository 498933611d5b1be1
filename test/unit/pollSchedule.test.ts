/**
 * The polling policy as a pure function of what Bright Data said and when: no clock, no HTTP.
 * Times are ms after the trigger; one API second = 1000 ms.
 */
import {
	believedHint,
	FALLBACK_FIRST_CHECK_SECONDS,
	PollSchedule,
	progressOf,
	type NextCheck,
	type ScheduleSettings,
} from '../../nodes/shared/snapshot/pollSchedule';

/** The default Timeout, 900 s, after `startedAt`. */
const schedule = (settings: Partial<ScheduleSettings> = {}) =>
	new PollSchedule({ msPerSecond: 1000, startedAt: 0, deadline: (settings.startedAt ?? 0) + 900_000, useJobLog: true, ...settings });

/** Sends the planned check at its time; the answer comes back `rtt` ms later. */
function exchange(policy: PollSchedule, check: NextCheck, rtt = 2) {
	policy.sent(check.at);
	return { sentAt: check.at, receivedAt: check.at + rtt };
}

/**
 * Runs the policy against a job ready at `finishMs`, the way the emulator answers: a hint that is the
 * time left rounded up (or none), a log whose pages progress evenly after one second of building.
 */
function simulate(policy: PollSchedule, finishMs: number, { hint = true, pages = 0 } = {}) {
	const checks: NextCheck[] = [];
	let next = policy.first();
	for (let i = 0; i < 500; i++) {
		checks.push(next);
		const times = exchange(policy, next);
		const serverTime = times.sentAt + 1;
		if (next.kind === 'dataset') {
			if (serverTime >= finishMs) return { checks, delayMs: serverTime - finishMs };
			next = policy.afterPending(times, hint ? Math.max(1, Math.ceil((finishMs - serverTime) / 1000)) : undefined);
		} else {
			const jobTime = Math.max(0, serverTime - 1000);
			const done = pages ? Math.min(pages, Math.floor((jobTime / (finishMs - 1000)) * pages)) : 0;
			next = policy.afterLog(times, pages ? { status: 'running', job_time: jobTime, pages, pages_left: pages - done } : { status: 'running' });
		}
	}
	throw new Error('never ready');
}

const gaps = (checks: NextCheck[]) => checks.slice(1).map((check, index) => check.at - checks[index].at);

describe('hints', () => {
	test.each([
		[12, 12],
		[2.5, 2.5],
		[0, 0],
		[undefined, undefined],
		[Number.NaN, undefined],
		[-3, undefined],
		[1e9, undefined],
	])('hint %p is believed as %p', (hint, believed) => {
		expect(believedHint(hint)).toBe(believed);
	});

	test('a hint is waited in full, not capped by an interval (a set Poll Interval only applies without one)', () => {
		const policy = schedule({ intervalSeconds: 5 });
		const first = policy.first();
		expect(first).toEqual({ kind: 'dataset', at: FALLBACK_FIRST_CHECK_SECONDS * 1000 });
		// "try again in 40 s" at 5 s: the finish is in (44 s, 45 s]; one split check at 43.5 s, then the end.
		const split = policy.afterPending(exchange(policy, first), 40);
		expect(split.kind).toBe('dataset');
		expect(split.at).toBeCloseTo(43_501, -1);
		const last = policy.afterPending(exchange(policy, split), 1);
		expect(last.at).toBeGreaterThan(split.at + 999);
		expect(last.at).toBeLessThanOrEqual(44_600);
	});

	test('the split check pins the finish to half a second: every job is found within 0.5 s, in 3 checks', () => {
		for (let finish = 6_000; finish < 200_000; finish += 3_731) {
			const { checks, delayMs } = simulate(schedule(), finish);
			expect(delayMs).toBeLessThanOrEqual(510);
			expect(checks.length).toBeLessThanOrEqual(3);
		}
	});

	test('a hint of 0 s or 0.2 s never makes two checks within a second', () => {
		for (const hint of [0, 0.2]) {
			const policy = schedule();
			let check = policy.first();
			for (let i = 0; i < 5; i++) {
				const next = policy.afterPending(exchange(policy, check), hint);
				expect(next.at - check.at).toBeGreaterThanOrEqual(1000);
				check = next;
			}
		}
	});

	test('a generic hint that never comes true costs one split check at most, then is simply followed', () => {
		const policy = schedule();
		let check = policy.first();
		const checks = [check];
		for (let i = 0; i < 8; i++) {
			check = policy.afterPending(exchange(policy, check), 10);
			checks.push(check);
		}
		const short = gaps(checks).filter((gap) => gap < 9_000);
		expect(short.length).toBeLessThanOrEqual(2);
		expect(gaps(checks).slice(-4).every((gap) => gap >= 10_000)).toBe(true);
	});

	test('an absurd hint (10^9 s) is ignored: the fallback schedule goes on', () => {
		const policy = schedule({ useJobLog: false });
		const next = policy.afterPending(exchange(policy, policy.first()), 1e9);
		expect(next.at).toBeLessThan(20_000);
	});
});

describe('without a hint', () => {
	test('fallback: first check at 5 s, gaps from 2 s growing to 15 s, far fewer checks than the quickstart on long waits', () => {
		const { checks } = simulate(schedule({ useJobLog: false }), 300_000, { hint: false });
		expect(checks[0].at).toBe(5_000);
		const between = gaps(checks);
		expect(Math.min(...between)).toBeGreaterThanOrEqual(2_000);
		expect(Math.max(...between)).toBeLessThanOrEqual(15_010);
		// The quickstart's loop needs 60 checks for a 300 s job.
		expect(checks.length).toBeLessThan(45);
	});

	test('a Poll Interval set by the user is the gap when Bright Data gives no estimate', () => {
		const { checks } = simulate(schedule({ useJobLog: false, intervalSeconds: 7 }), 60_000, { hint: false });
		expect(gaps(checks).every((gap) => gap >= 7_000 && gap < 7_100)).toBe(true);
	});

	test('a log without progress fields is read once, then only the dataset is checked', () => {
		const { checks } = simulate(schedule(), 120_000, { hint: false });
		expect(checks.filter(({ kind }) => kind === 'log')).toHaveLength(1);
	});

	test('log progress: sparse while far, every second near the end, found within a second', () => {
		const finish = 95_300;
		const { checks, delayMs } = simulate(schedule(), finish, { hint: false, pages: 20 });
		expect(delayMs).toBeLessThan(1_000);
		expect(checks.length).toBeLessThan(19); // the quickstart: 20 checks
		// The log reads of the first 25 s pin the run time (each bounds it from both sides); then nothing
		// is checked until the estimate comes, however far it is.
		const afterLogs = checks.filter(({ at }) => at > 30_000);
		expect(afterLogs.length).toBeGreaterThan(0);
		expect(afterLogs.every(({ at }) => at > finish - 10_000)).toBe(true);
	});

	describe('start_eta', () => {
		const startedAt = Date.parse('2026-01-01T00:00:00Z');
		const pendingAt = (policy: PollSchedule, check: NextCheck) => policy.afterPending(exchange(policy, check, 0), undefined);

		test('a near one moves the first check', () => {
			expect(schedule({ startedAt, startEta: '2026-01-01T00:00:20Z' }).first().at).toBe(startedAt + 25_000);
		});

		test('a far one is checked at 5 s first, then the checks wait for it', () => {
			const policy = schedule({ startedAt, startEta: '2026-01-01T00:01:00Z' });
			const first = policy.first();
			expect(first.at).toBe(startedAt + 5_000);
			expect(pendingAt(policy, first).at).toBe(startedAt + 65_000);
		});

		test('a wrong one (a year ahead) delays the checks by at most a tenth of the Timeout', () => {
			const policy = schedule({ startedAt, startEta: '2027-01-01T00:00:00Z' });
			const first = policy.first();
			expect(first.at).toBe(startedAt + 5_000);
			expect(pendingAt(policy, first).at).toBe(startedAt + 90_000 + 5_000);
		});

		test('a hint after the early check wins over the ETA', () => {
			const policy = schedule({ startedAt, startEta: '2027-01-01T00:00:00Z' });
			const first = policy.first();
			expect(policy.afterPending(exchange(policy, first, 0), 3.5).at).toBe(first.at + 3_500);
		});

		test('a past or unreadable one changes nothing', () => {
			expect(schedule({ startedAt, startEta: '2025-12-31T23:00:00Z' }).first().at).toBe(startedAt + 5_000);
			expect(schedule({ startedAt, startEta: 'soon' }).first().at).toBe(startedAt + 5_000);
		});
	});

	test('a finished log asks for the dataset at once; a log whose counters go back is not trusted', () => {
		const policy = schedule();
		const first = policy.first();
		const next = policy.afterLog(exchange(policy, first), { status: 'done' });
		expect(next).toEqual({ kind: 'dataset', at: first.at + 1000 });
		const other = schedule();
		const a = other.afterLog(exchange(other, other.first()), { status: 'running', job_time: 20_000, pages: 10, pages_left: 5 });
		const b = other.afterLog(exchange(other, a), { status: 'running', job_time: 10_000, pages: 10, pages_left: 9 });
		expect(b.kind).toBe('dataset');
	});
});

describe('progress from the job log', () => {
	test.each([
		[{ job_time: 30_000, pages: 10, pages_left: 4 }, { done: 6, total: 10, jobTimeS: 30 }],
		[{ job_time: 30_000, inputs: 5, success: 2, fails: 1 }, { done: 3, total: 5, jobTimeS: 30 }],
		[{ job_time: 30_000, inputs: 5, lines: 2 }, { done: 2, total: 5, jobTimeS: 30 }],
		[{ job_time: 30_000, pages: 10, pages_left: 12, inputs: 3, success: 1 }, { done: 1, total: 3, jobTimeS: 30 }],
		[{ pages: 10, pages_left: 4 }, undefined],
		[{ job_time: 30_000, inputs: 2, success: 5 }, undefined],
		[{ job_time: '30000', pages: 10, pages_left: 4 }, undefined],
	])('%p → %p', (log, expected) => {
		expect(progressOf(log)).toEqual(expected);
	});
});

/**
 * The targets on the emulator's model, replayed without a machine in the way: jobs ready
 * 3–300 s after the trigger (log-uniform, as in bench part 1), the hint as the seconds left
 * rounded up, log pages progressing evenly (one page per 6 s of run time), 2 ms per answer.
 * Bright Data's quickstart loop: sleep 5 s, check, repeat.
 */
describe('targets on the emulator model (bench part 1 without the machine)', () => {
	const readyTimes = Array.from({ length: 400 }, (_, index) => 3 * Math.exp(((index + 0.5) / 400) * Math.log(100)) * 1000);
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	const quickstart = readyTimes.map((finish) => ({ delayMs: Math.ceil(finish / 5000) * 5000 - finish, requests: 1 + Math.ceil(finish / 5000) }));
	const node = (options: { hint: boolean; pages: (finish: number) => number }) =>
		readyTimes.map((finish) => {
			const { checks, delayMs } = simulate(schedule(), finish, { hint: options.hint, pages: options.pages(finish) });
			return { delayMs, requests: 1 + checks.length };
		});
	const sum = (runs: Array<{ requests: number }>) => runs.reduce((total, { requests }) => total + requests, 0);

	test('with the hint: median delay ≤ 0.5 s, requests ≤ 0.5× the quickstart\'s', () => {
		const runs = node({ hint: true, pages: () => 0 });
		expect(median(runs.map(({ delayMs }) => delayMs))).toBeLessThanOrEqual(500);
		expect(sum(runs) / sum(quickstart)).toBeLessThanOrEqual(0.5);
	});

	test('without the hint or progress: median delay and requests ≤ the quickstart\'s (the log read included)', () => {
		const runs = node({ hint: false, pages: () => 0 });
		expect(median(runs.map(({ delayMs }) => delayMs))).toBeLessThanOrEqual(median(quickstart.map(({ delayMs }) => delayMs)));
		expect(sum(runs)).toBeLessThanOrEqual(sum(quickstart));
	});

	test('without the hint, with log progress: median delay ≤ 1 s at ≤ the quickstart\'s requests', () => {
		const runs = node({ hint: false, pages: (finish) => Math.max(1, Math.round(finish / 6000)) });
		expect(median(runs.map(({ delayMs }) => delayMs))).toBeLessThanOrEqual(1000);
		expect(sum(runs)).toBeLessThanOrEqual(sum(quickstart));
	});
});
