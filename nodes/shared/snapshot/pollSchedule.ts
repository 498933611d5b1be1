/**
 * When to check next: a pure policy (no I/O, no clock), asked after every pending answer; times are node ms.
 * Bright Data's hint ("try again in N s") is followed, with one split check; without one, every Poll Interval
 * from the trigger, as the quickstart's loop (bench/RESULTS.md, part 1). Never two requests within a second.
 */

/** The gap between checks when Bright Data gives no hint: the quickstart's loop. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
export const MIN_POLL_GAP_SECONDS = 1;
/** A hint above a day is not believed (a timestamp or milliseconds sent by mistake). */
const MAX_BELIEVED_HINT_SECONDS = 86_400;
/** A start_eta skips the checks before it, up to this share of the wait, and only within 30 s (it may be wrong). */
const START_ETA_MAX_SHARE = 0.1;
const START_ETA_TRUSTED_SECONDS = 30;

/**
 * Node ms per API second (1000 outside tests); the wait's start (the trigger's answer) and end (it bounds how far a
 * start_eta pushes the checks), node ms; the Poll Interval; the trigger's start_eta; a first check at once.
 */
export interface ScheduleSettings {
	msPerSecond: number;
	startedAt: number;
	deadline: number;
	intervalSeconds: number;
	startEta?: string;
	checkAtOnce?: boolean;
}

/** A usable hint in seconds, or undefined for none, not a number, negative or absurd. */
export const believedHint = (hint: number | undefined): number | undefined =>
	typeof hint === 'number' && hint >= 0 && hint <= MAX_BELIEVED_HINT_SECONDS ? hint : undefined;

export class PollSchedule {
	private lastSentAt = -Infinity;
	/** Where the hints put the finish. */
	private hinted?: { lo: number; hi: number };
	/** Whole-second hints have agreed so far (a split check is worth its request). */
	private hintsAgree = true;
	private probed = false;
	/** Node ms the job is expected to start running (start_eta, or the trigger). */
	private readonly eta: number;
	private readonly step: number;

	constructor(private readonly settings: ScheduleSettings) {
		const { startEta, startedAt, deadline } = settings;
		// start_eta as ms after the trigger: 0 when absent or past, at most a tenth of the wait.
		const offset = startEta ? Date.parse(startEta) - startedAt : NaN;
		const share = (deadline - startedAt) * START_ETA_MAX_SHARE;
		this.eta = startedAt + (offset > 0 ? Math.min(offset, share) : 0);
		this.step = this.ms(Math.max(MIN_POLL_GAP_SECONDS, settings.intervalSeconds));
	}

	/** When to send the first check. */
	first(): number {
		const { startedAt, checkAtOnce } = this.settings;
		if (checkAtOnce) return startedAt;
		const trusted = this.eta - startedAt <= this.ms(START_ETA_TRUSTED_SECONDS);
		return this.gridAfter(trusted ? this.eta : startedAt);
	}

	/** A request is about to go out. */
	sent(at: number): void {
		this.lastSentAt = at;
	}

	/** Still pending: when to check next, with `hintSeconds` from its message, if any. */
	afterPending(
		{ sentAt, receivedAt }: { sentAt: number; receivedAt: number },
		hintSeconds?: number,
	) {
		const hint = believedHint(hintSeconds);
		if (hint !== undefined) return this.followHint(sentAt, receivedAt, hint);
		this.hinted = undefined;
		return this.notBefore(this.gridAfter(Math.max(receivedAt, this.eta)));
	}

	/** The first check of the grid startedAt + k·step (k ≥ 1) after `at`: slow answers do not shift it. */
	private gridAfter(at: number): number {
		const { startedAt } = this.settings;
		return startedAt + Math.max(1, Math.floor((at - startedAt) / this.step) + 1) * this.step;
	}

	private ms(seconds: number): number {
		return seconds * this.settings.msPerSecond;
	}

	private notBefore(at: number): number {
		return Math.max(at, this.lastSentAt + this.ms(MIN_POLL_GAP_SECONDS));
	}

	private followHint(sentAt: number, receivedAt: number, hint: number): number {
		// A whole-second hint N (the API rounds up) puts the finish in (N−1, N] after the answer was made.
		const width = Number.isInteger(hint) && hint >= 1 ? 1 : 0;
		const next = { lo: sentAt + this.ms(hint - width), hi: receivedAt + this.ms(hint) };
		const previous = this.hinted;
		const overlap = previous && next.lo < previous.hi && next.hi > previous.lo;
		if (previous && !overlap) this.hintsAgree = false;
		this.hinted = overlap
			? { lo: Math.max(previous.lo, next.lo), hi: Math.min(previous.hi, next.hi) }
			: next;
		const { lo, hi } = this.hinted;
		const split = (lo + hi) / 2 - this.ms(1);
		// One split check per job, while hints agree (a generic "try again in 10s" would cost a request every time),
		// a second before the middle: its own hint (1 or 2) then tells which half of the second the finish is in.
		if (
			!this.probed &&
			this.hintsAgree &&
			hi - lo > this.ms(0.6) &&
			split >= this.lastSentAt + this.ms(MIN_POLL_GAP_SECONDS)
		) {
			this.probed = true;
			return split;
		}
		return this.notBefore(hi);
	}
}
