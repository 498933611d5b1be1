import { sleep } from 'n8n-workflow';

/** Every wait is in API seconds converted here, so tests and benchmarks can scale the clock (e.g. 1 s = 5 ms). */
export const timing = {
	msPerSecond: 1000,
	/** The longest single sleep: older n8n hosts cannot abort `sleep`, so cancellation waits at most this long. */
	maxSleepSliceMs: 500,
	/** Per-request limit in real ms, not scaled: a scaled 60 ms would fail on a busy machine. */
	requestTimeoutMs: 60_000,
	/** The same for a streamed dataset download (real ms), unless the node's own Timeout ends it sooner. */
	streamTimeoutMs: 15 * 60_000,
};

export const secondsToMs = (seconds: number): number => seconds * timing.msPerSecond;

export const now = (): number => Date.now();

/** Whole (scaled) seconds since `since`, for messages. */
export const elapsedSeconds = (since: number): number =>
	Math.round((now() - since) / timing.msPerSecond);

export async function sleepUnlessCancelled(ms: number, signal?: AbortSignal): Promise<void> {
	const until = now() + ms;
	while (!signal?.aborted) {
		const left = until - now();
		if (left <= 0) return;
		try {
			await sleep(Math.min(left, timing.maxSleepSliceMs), signal);
		} catch {
			// n8n >= 2.34 rejects the sleep on abort; the loop condition reports it.
		}
	}
}
