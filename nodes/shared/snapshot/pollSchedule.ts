/**
 * When to check a snapshot next, and how: a pure policy (no I/O, no clock of its own) that
 * pollUntilReady asks after every answer. Times are the node's epoch ms; API durations (hints,
 * job_time) are converted with `msPerSecond`, so a scaled clock in tests and benchmarks works.
 *
 * In order of trust:
 * 1. Bright Data's hint ("try again in N s"): wait N s. Whole-second hints say the finish lies in
 *    (N−1, N] s; one extra check placed at the middle of that second minus one second tells which
 *    half (its own hint is 1 or 2), so the last check lands at most half a second after the finish.
 * 2. Without a hint, /dca/log progress: units done d of P after `job_time` J put the run time in
 *    (J·P/(d+1), J·P/d]. While that window is wide the log is read again halfway to it (sparse
 *    while the finish is far); once it is narrow, the dataset is checked every second across it.
 * 3. With neither, a fallback that starts 5 s after the job's start and stretches the gap to 15 %
 *    of the time waited (2–15 s): dense while most jobs finish, sparse for the long ones, so the
 *    median delay is below Bright Data's fixed 5 s loop at fewer requests (bench/RESULTS.md).
 * The trigger's start_eta moves the start of that fallback, but a wrong one costs a bounded delay:
 * it counts for at most a tenth of the Timeout, and an ETA further than 30 s is checked at 5 s first.
 * Never two requests less than a second apart, never a check planned past the deadline.
 */
import type { IDataObject } from 'n8n-workflow';

/** Never more than one request a second, whatever the hint, estimate or interval says. */
export const MIN_POLL_GAP_SECONDS = 1;
/** A hint above a day is not believed (a timestamp or milliseconds sent by mistake). */
export const MAX_BELIEVED_HINT_SECONDS = 86_400;
/** Fallback: first check this long after the job's (expected) start. */
export const FALLBACK_FIRST_CHECK_SECONDS = 5;
/** Fallback: the gap grows to this share of the time waited, between the two bounds. */
export const FALLBACK_GAP_SHARE = 0.15;
export const FALLBACK_MIN_GAP_SECONDS = 2;
export const FALLBACK_MAX_GAP_SECONDS = 15;
/** The job log is read only once the job has waited this long without a hint (short jobs are done first). */
export const LOG_FIRST_READ_SECONDS = 10;
/** A progress window narrower than this is covered by a dataset check every second. */
export const DENSE_WINDOW_SECONDS = 6;
/** The start_eta moves the first check by at most this share of the time to the deadline. */
export const START_ETA_MAX_SHARE = 0.1;
/** A start_eta further than this is checked at the usual first check too (it may be wrong). */
export const START_ETA_TRUSTED_SECONDS = 30;

export type CheckKind = 'dataset' | 'log';

export interface NextCheck {
	kind: CheckKind;
	/** Epoch ms (node clock) at which to send it. */
	at: number;
}

export interface ScheduleSettings {
	/** Node ms per API second (1000 outside tests). */
	msPerSecond: number;
	/** When the wait started (the trigger answered), node ms. */
	startedAt: number;
	/** When the wait ends, node ms: bounds how far a start_eta can push the checks. */
	deadline: number;
	/** The Poll Interval option: a fixed gap when nothing better is known. */
	intervalSeconds?: number;
	/** The trigger's start_eta, when it sent one. */
	startEta?: string;
	/** Whether the job log may be read for progress (it costs a request). */
	useJobLog: boolean;
	/** First check at once (the job is known to be done, e.g. after Bright Data's notification). */
	checkAtOnce?: boolean;
}

/** One answer as the schedule sees it: when its request was sent and its answer read. */
interface Exchange {
	sentAt: number;
	receivedAt: number;
}

interface Window {
	lo: number;
	hi: number;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** A usable hint in seconds, or undefined for none, not a number, negative or absurd. */
export function believedHint(hint: number | undefined): number | undefined {
	if (!isNumber(hint) || hint < 0 || hint > MAX_BELIEVED_HINT_SECONDS) return undefined;
	return hint;
}

/**
 * Progress of a running job from its (normalised, lower-case) log: units done of all units, and
 * the ms it has run. Pages when the log counts them consistently, else finished inputs.
 * Undefined when the log has no usable progress data.
 */
export function progressOf(log: IDataObject): { done: number; total: number; jobTimeS: number } | undefined {
	const jobTime = log.job_time;
	if (!isNumber(jobTime) || jobTime <= 0) return undefined;
	const jobTimeS = jobTime / 1000;
	const { pages, pages_left: pagesLeft, inputs, success, fails, lines } = log;
	if (isNumber(pages) && isNumber(pagesLeft) && pages > 0 && pagesLeft >= 0 && pagesLeft <= pages) {
		return { done: pages - pagesLeft, total: pages, jobTimeS };
	}
	if (!isNumber(inputs) || inputs <= 0) return undefined;
	// Without `success`, one row per input is assumed (lines counts rows, which is the best left).
	const finished = (isNumber(success) ? success : isNumber(lines) ? lines : NaN) + (isNumber(fails) ? fails : 0);
	if (!Number.isFinite(finished) || finished < 0 || finished > inputs) return undefined;
	return { done: finished, total: inputs, jobTimeS };
}

const RUNNING = new Set(['running', 'collecting']);
const ENDED = new Set(['done', 'finished', 'ready', 'failed', 'canceled']);

export class PollSchedule {
	private lastSentAt = -Infinity;
	/** Where the hints put the finish. */
	private hinted?: Window;
	/** Whole-second hints have agreed so far (a split check is worth its request). */
	private hintsAgree = true;
	private probed = false;
	/** Where the job log puts the finish. */
	private estimated?: Window;
	private logUseful: boolean;
	private lastProgress?: { done: number; jobTimeS: number };
	private badLogs = 0;
	/** Node ms the job is expected to start running (start_eta, or the trigger). */
	private origin: number;

	constructor(private readonly settings: ScheduleSettings) {
		this.logUseful = settings.useJobLog;
		this.origin = settings.startedAt + this.startEtaOffsetMs();
	}

	/** The first check. */
	first(): NextCheck {
		const { startedAt, checkAtOnce } = this.settings;
		if (checkAtOnce) return { kind: 'dataset', at: startedAt };
		// The first answer also tells whether hints come; nothing is ready before a few seconds.
		const trusted = this.origin - startedAt <= this.ms(START_ETA_TRUSTED_SECONDS);
		return { kind: 'dataset', at: (trusted ? this.origin : startedAt) + this.ms(FALLBACK_FIRST_CHECK_SECONDS) };
	}

	/** A request is about to go out. */
	sent(at: number): void {
		this.lastSentAt = at;
	}

	/** The dataset is still pending; `hintSeconds` from its message, if any. */
	afterPending({ sentAt, receivedAt }: Exchange, hintSeconds?: number): NextCheck {
		const hint = believedHint(hintSeconds);
		if (hint !== undefined) return this.followHint(sentAt, receivedAt, hint);
		return this.withoutHint(receivedAt);
	}

	/** The job log's answer (normalised keys). */
	afterLog({ sentAt, receivedAt }: Exchange, log: IDataObject): NextCheck {
		const status = typeof log.status === 'string' ? log.status.toLowerCase() : '';
		if (ENDED.has(status)) return this.dataset(receivedAt);
		const progress = RUNNING.has(status) || !status ? progressOf(log) : undefined;
		if (!progress) {
			// Queued: nothing to check before the next gap. Running without progress fields: stop reading
			// a log that never helps, and check the dataset the log read stood in for, a second later.
			if (status && !RUNNING.has(status)) {
				if (++this.badLogs >= 3) this.logUseful = false;
				return this.fallback(receivedAt);
			}
			this.logUseful = false;
			return this.dataset(receivedAt);
		}
		const previous = this.lastProgress;
		if (previous && (progress.done < previous.done || progress.jobTimeS < previous.jobTimeS)) {
			// Counters went backwards: this log contradicts the last one; trust neither for long.
			if (++this.badLogs >= 3) this.logUseful = false;
			this.estimated = undefined;
			this.lastProgress = progress;
			return this.fallback(receivedAt);
		}
		this.lastProgress = progress;
		const at = (sentAt + receivedAt) / 2;
		const runStart = at - this.ms(progress.jobTimeS);
		this.origin = runStart;
		const { done, total, jobTimeS } = progress;
		if (done >= total) return this.dataset(receivedAt);
		const lo = runStart + this.ms((jobTimeS * total) / (done + 1));
		const hi = done > 0 ? runStart + this.ms((jobTimeS * total) / done) : Infinity;
		this.estimated = this.intersect(this.estimated, { lo, hi });
		return this.followEstimate(receivedAt);
	}

	private ms(seconds: number): number {
		return seconds * this.settings.msPerSecond;
	}

	/** Never two requests within a second; never before `at`. */
	private dataset(at: number): NextCheck {
		return { kind: 'dataset', at: Math.max(at, this.lastSentAt + this.ms(MIN_POLL_GAP_SECONDS)) };
	}

	private log(at: number): NextCheck {
		return { kind: 'log', at: Math.max(at, this.lastSentAt + this.ms(MIN_POLL_GAP_SECONDS)) };
	}

	/** An ISO start_eta as ms after the trigger: 0 when absent or past, at most a tenth of the wait. */
	private startEtaOffsetMs(): number {
		const { startEta, startedAt, deadline } = this.settings;
		const offset = startEta ? Date.parse(startEta) - startedAt : NaN;
		if (!Number.isFinite(offset) || offset <= 0) return 0;
		return Math.min(offset, (deadline - startedAt) * START_ETA_MAX_SHARE);
	}

	private intersect(previous: Window | undefined, next: Window): Window {
		if (!previous) return next;
		const lo = Math.max(previous.lo, next.lo);
		const hi = Math.min(previous.hi, next.hi);
		return lo < hi ? { lo, hi } : next;
	}

	private followHint(sentAt: number, receivedAt: number, hint: number): NextCheck {
		// A whole-second hint N (the API rounds up) puts the finish in (N−1, N] after the answer was made.
		const width = Number.isInteger(hint) && hint >= 1 ? 1 : 0;
		const next = { lo: sentAt + this.ms(hint - width), hi: receivedAt + this.ms(hint) };
		const previous = this.hinted;
		if (previous && (next.lo >= previous.hi || next.hi <= previous.lo)) this.hintsAgree = false;
		this.hinted = this.intersect(previous, next);
		const { lo, hi } = this.hinted;
		const middle = (lo + hi) / 2;
		const split = middle - this.ms(1);
		const earliest = this.lastSentAt + this.ms(MIN_POLL_GAP_SECONDS);
		// One split check per job, only while hints agree (a generic "try again in 10s" would
		// otherwise cost a second request every time) and only when it leaves a second before the middle.
		// A slow answer widens the window; the split check then also narrows the time of the answer.
		if (!this.probed && this.hintsAgree && hi - lo > this.ms(0.6) && split >= earliest) {
			this.probed = true;
			return this.dataset(split);
		}
		return this.dataset(hi);
	}

	private withoutHint(receivedAt: number): NextCheck {
		this.hinted = undefined;
		if (this.estimated) return this.followEstimate(receivedAt);
		// Checked before a far start_eta and not ready: the next check waits for the ETA.
		if (receivedAt < this.origin) return this.dataset(this.origin + this.ms(FALLBACK_FIRST_CHECK_SECONDS));
		// The log is read instead of a dataset check, once the job has run long enough for progress to show.
		const at = this.fallbackAt(receivedAt);
		if (this.logUseful && at - this.origin >= this.ms(LOG_FIRST_READ_SECONDS)) return this.log(at);
		return this.dataset(at);
	}

	/** Checks around the log's estimate: every second across a narrow window, the log again while it is wide. */
	private followEstimate(now: number): NextCheck {
		const { lo, hi } = this.estimated!;
		if (now >= hi) {
			// Past the estimate and still pending: the estimate was wrong; read the log again (or fall back).
			this.estimated = undefined;
			return this.logUseful ? this.log(now) : this.fallback(now);
		}
		if (hi - lo <= this.ms(DENSE_WINDOW_SECONDS)) {
			// Checks one second apart from one second into the window: at most a second late.
			const first = lo + Math.min(this.ms(1), hi - lo);
			return this.dataset(Math.max(first, now));
		}
		// Wide: read the log again halfway to the window (its counters are further along by then),
		// but check no later than the fallback would.
		const halfway = now + Math.max(this.ms(MIN_POLL_GAP_SECONDS), (lo - now) / 2);
		return this.logUseful ? this.log(Math.min(halfway, this.fallbackAt(now))) : this.fallback(now);
	}

	private fallbackAt(now: number): number {
		const { intervalSeconds, msPerSecond } = this.settings;
		if (intervalSeconds !== undefined) return now + this.ms(Math.max(MIN_POLL_GAP_SECONDS, intervalSeconds));
		const waited = Math.max(0, (now - this.origin) / msPerSecond);
		const gap = Math.min(FALLBACK_MAX_GAP_SECONDS, Math.max(FALLBACK_MIN_GAP_SECONDS, waited * FALLBACK_GAP_SHARE));
		return now + this.ms(gap);
	}

	private fallback(now: number): NextCheck {
		return this.dataset(this.fallbackAt(now));
	}
}
