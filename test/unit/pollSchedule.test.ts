/**
 * The polling policy as a pure function of what Bright Data said and when: no clock, no HTTP.
 * Times are ms after the trigger; one API second = 1000 ms.
 */
import { believedHint, PollSchedule, type ScheduleSettings } from '../../nodes/shared/snapshot/pollSchedule';

/** The default Timeout, 900 s, after `startedAt`, and the default Poll Interval, 5 s. */
const schedule = (settings: Partial<ScheduleSettings> = {}) =>
	new PollSchedule({ msPerSecond: 1000, startedAt: 0, deadline: (settings.startedAt ?? 0) + 900_000, intervalSeconds: 5, ...settings });

/** Sends the planned check at its time; the answer comes back `rtt` ms later. */
function exchange(policy: PollSchedule, at: number, rtt = 2) {
	policy.sent(at);
	return { sentAt: at, receivedAt: at + rtt };
}

/**
 * Runs the policy against a job ready at `finishMs`, the way the emulator answers: a hint that is the
 * time left rounded up, or none.
 */
function simulate(policy: PollSchedule, finishMs: number, { hint = true, rtt = 2 } = {}) {
	const checks: number[] = [];
	let next = policy.first();
	for (let i = 0; i < 500; i++) {
		checks.push(next);
		const times = exchange(policy, next, rtt);
		const serverTime = times.sentAt + 1;
		if (serverTime >= finishMs) return { checks, delayMs: serverTime - finishMs };
		next = policy.afterPending(times, hint ? Math.max(1, Math.ceil((finishMs - serverTime) / 1000)) : undefined);
	}
	throw new Error('never ready');
}

const gaps = (checks: number[]) => checks.slice(1).map((check, index) => check - checks[index]);

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
		expect(first).toBe(5_000);
		// "try again in 40 s" at 5 s: the finish is in (44 s, 45 s]; one split check at 43.5 s, then the end.
		const split = policy.afterPending(exchange(policy, first), 40);
		expect(split).toBeCloseTo(43_501, -1);
		const last = policy.afterPending(exchange(policy, split), 1);
		expect(last).toBeGreaterThan(split + 999);
		expect(last).toBeLessThanOrEqual(44_600);
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
				expect(next - check).toBeGreaterThanOrEqual(1000);
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

	test('an absurd hint (10^9 s) is ignored: the 5 s checks go on', () => {
		const policy = schedule();
		const next = policy.afterPending(exchange(policy, policy.first()), 1e9);
		expect(next).toBe(10_000);
	});
});

describe('without a hint', () => {
	test('every Poll Interval from the trigger, on a grid that slow answers do not shift', () => {
		const { checks } = simulate(schedule(), 300_000, { hint: false, rtt: 1_700 });
		expect(checks.slice(0, 4)).toEqual([5_000, 10_000, 15_000, 20_000]);
		expect(checks).toHaveLength(60);
	});

	test('a Poll Interval set by the user is the gap', () => {
		const { checks } = simulate(schedule({ intervalSeconds: 7 }), 60_000, { hint: false });
		expect(gaps(checks).every((gap) => gap === 7_000)).toBe(true);
	});

	test('an answer slower than the interval is followed by the next grid point, never two requests within a second', () => {
		const policy = schedule();
		policy.sent(5_000);
		expect(policy.afterPending({ sentAt: 5_000, receivedAt: 14_500 }, undefined)).toBe(15_000);
		policy.sent(15_000);
		expect(policy.afterPending({ sentAt: 15_000, receivedAt: 19_990 }, undefined)).toBe(20_000);
	});

	test('after the notification (check at once), the next checks follow the interval', () => {
		const policy = schedule({ checkAtOnce: true });
		const first = policy.first();
		expect(first).toBe(0);
		expect(policy.afterPending(exchange(policy, first), undefined)).toBe(5_000);
	});

	describe('start_eta', () => {
		const startedAt = Date.parse('2026-01-01T00:00:00Z');
		const pendingAt = (policy: PollSchedule, check: number) => policy.afterPending(exchange(policy, check, 0), undefined);

		test('the checks keep the trigger\'s grid: an ETA 1 s ahead skips nothing, one 7 s ahead skips the check at 5 s', () => {
			expect(schedule({ startedAt, startEta: '2026-01-01T00:00:01Z' }).first()).toBe(startedAt + 5_000);
			expect(schedule({ startedAt, startEta: '2026-01-01T00:00:07Z' }).first()).toBe(startedAt + 10_000);
		});

		test('a near one moves the first check', () => {
			expect(schedule({ startedAt, startEta: '2026-01-01T00:00:20Z' }).first()).toBe(startedAt + 25_000);
		});

		test('a far one is checked at 5 s first, then the checks wait for it', () => {
			const policy = schedule({ startedAt, startEta: '2026-01-01T00:01:00Z' });
			const first = policy.first();
			expect(first).toBe(startedAt + 5_000);
			expect(pendingAt(policy, first)).toBe(startedAt + 65_000);
		});

		test('a wrong one (a year ahead) delays the checks by at most a tenth of the Timeout', () => {
			const policy = schedule({ startedAt, startEta: '2027-01-01T00:00:00Z' });
			const first = policy.first();
			expect(first).toBe(startedAt + 5_000);
			expect(pendingAt(policy, first)).toBe(startedAt + 90_000 + 5_000);
		});

		test('a hint after the early check wins over the ETA', () => {
			const policy = schedule({ startedAt, startEta: '2027-01-01T00:00:00Z' });
			const first = policy.first();
			expect(policy.afterPending(exchange(policy, first, 0), 3.5)).toBe(first + 3_500);
		});

		test('a past or unreadable one changes nothing', () => {
			expect(schedule({ startedAt, startEta: '2025-12-31T23:00:00Z' }).first()).toBe(startedAt + 5_000);
			expect(schedule({ startedAt, startEta: 'soon' }).first()).toBe(startedAt + 5_000);
		});
	});

});

/**
 * The target on the emulator's model, replayed without a machine in the way: jobs ready
 * 3–300 s after the trigger (log-uniform, as in bench part 1), 2 ms per answer. Bright Data's
 * quickstart loop: sleep 5 s, check, repeat (its sleeps start after each answer, so they drift).
 */
describe('against the quickstart loop, job by job', () => {
	const readyTimes = Array.from({ length: 400 }, (_, index) => 3 * Math.exp(((index + 0.5) / 400) * Math.log(100)) * 1000);
	const quickstart = (finish: number, rtt = 2) => {
		for (let check = 1, at = 5_000; ; check++, at += 5_000 + rtt) if (at + 1 >= finish) return { delayMs: at + 1 - finish, requests: 1 + check };
	};
	const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

	test('without the hint: never later, never more requests, on every job length', () => {
		for (const finish of readyTimes) {
			const { checks, delayMs } = simulate(schedule(), finish, { hint: false });
			const loop = quickstart(finish);
			expect({ finish, delayMs: delayMs <= loop.delayMs, requests: 1 + checks.length <= loop.requests }).toEqual({ finish, delayMs: true, requests: true });
		}
	});

	test('with the hint: median delay ≤ 0.5 s, requests ≤ 0.5× the quickstart\'s', () => {
		const runs = readyTimes.map((finish) => simulate(schedule(), finish));
		expect(median(runs.map(({ delayMs }) => delayMs))).toBeLessThanOrEqual(500);
		const requests = runs.reduce((total, { checks }) => total + 1 + checks.length, 0);
		expect(requests / readyTimes.reduce((total, finish) => total + quickstart(finish).requests, 0)).toBeLessThanOrEqual(0.5);
	});
});
