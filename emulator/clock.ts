/**
 * Emulated time. Everything about jobs (ETAs, progress, expiry, long-poll timeouts) is measured
 * on this clock: emulated = real elapsed × timeScale (+ manual advances). With timeScale 1000 a
 * 20 s job is ready after 20 real ms, so tests never wait real minutes.
 */

/** Node's setTimeout overflows above ~24.8 days; longer waits are re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Timer {
	at: number;
	run: () => void;
	handle?: NodeJS.Timeout;
}

export class EmulatedClock {
	private readonly realStart = performance.now();
	private readonly wallStart = Date.now();
	private offsetMs = 0;
	private readonly timers = new Set<Timer>();

	constructor(readonly timeScale: number) {
		if (!(timeScale > 0)) throw new Error(`timeScale must be > 0, got ${timeScale}`);
	}

	/** Emulated epoch milliseconds. */
	now(): number {
		return this.wallStart + (performance.now() - this.realStart) * this.timeScale + this.offsetMs;
	}

	/** Jumps emulated time forward; due timers fire right away. */
	advance(emulatedSeconds: number): void {
		this.offsetMs += emulatedSeconds * 1000;
		for (const timer of this.timers) this.arm(timer);
	}

	/**
	 * An emulated time as the API shows it: the wall-clock time at which it comes, so a client on a
	 * real clock can use timestamps such as start_eta at any time scale. Null for "never".
	 */
	iso(at: number | undefined): string | null {
		if (at === undefined || !Number.isFinite(at)) return null;
		return new Date(Date.now() + this.toRealMs(at - this.now())).toISOString();
	}

	/** Real milliseconds that correspond to an emulated duration. */
	toRealMs(emulatedMs: number): number {
		return emulatedMs / this.timeScale;
	}

	/** Runs `run` once emulated time reaches `at`. Returns a cancel function. */
	at(at: number, run: () => void): () => void {
		const timer: Timer = { at, run };
		this.timers.add(timer);
		this.arm(timer);
		return () => this.cancel(timer);
	}

	/** Waits an emulated duration; resolves early (never rejects) when the signal aborts. */
	sleep(emulatedMs: number, signal?: AbortSignal): Promise<void> {
		return new Promise((resolve) => {
			if (signal?.aborted) return resolve();
			// `let`: the timer may fire synchronously inside `at` when the wait is already over.
			let cancel: (() => void) | undefined;
			const done = (): void => {
				cancel?.();
				signal?.removeEventListener('abort', done);
				resolve();
			};
			signal?.addEventListener('abort', done, { once: true });
			cancel = this.at(this.now() + emulatedMs, done);
		});
	}

	/** Cancels every pending timer (on server close). */
	dispose(): void {
		for (const timer of this.timers) this.cancel(timer);
	}

	private arm(timer: Timer): void {
		clearTimeout(timer.handle);
		const realDelay = this.toRealMs(timer.at - this.now());
		if (realDelay <= 0) {
			this.cancel(timer);
			timer.run();
			return;
		}
		// unref: a pending emulated event must never keep a test process alive.
		timer.handle = setTimeout(() => this.arm(timer), Math.min(Math.ceil(realDelay), MAX_TIMER_MS)).unref();
	}

	private cancel(timer: Timer): void {
		clearTimeout(timer.handle);
		this.timers.delete(timer);
	}
}
