/**
 * A what-if client for proposals about the node's polling: it polls GET /dca/dataset (format=json)
 * right after the trigger, like the node, then sleeps whatever `nextSleep` says for the
 * "try again in N s" hint. Not the node: it measures a policy the node could adopt.
 */
import { sleepEmulated, type BenchEmulator } from '../emulator';
import { starterRequest, triggerLikeStarter, type ClientResult } from './starter';

const MAX_POLLS = 1000;
const TRY_AGAIN = /try again in\s*(\d+(?:\.\d+)?)\s*s/i;

/** Seconds to sleep after a pending answer, given its hint (undefined when it has none). */
export type SleepPolicy = (hintSeconds: number | undefined) => number;

/**
 * Proposal: in the last `interval` seconds, poll half a second before the hinted time, with a
 * half-second floor. A whole-second hint N means "ready within (N−1, N] s", so the rows arrive at
 * most 0.5 s late (0.25 s on average) instead of at most 1 s, for about half a request more per job.
 */
export const halfSecondEarly = (intervalSeconds: number): SleepPolicy => (hint) =>
	hint === undefined || hint > intervalSeconds ? intervalSeconds : Math.max(0.5, hint - 0.5);

export async function runHintPoller(emulator: BenchEmulator, collector: string, inputs: object[], nextSleep: SleepPolicy): Promise<ClientResult> {
	const snapshotId = await triggerLikeStarter(emulator, collector, inputs);
	for (let poll = 0; poll < MAX_POLLS; poll++) {
		const { status, text } = await starterRequest(emulator, 'GET', `/dca/dataset?id=${encodeURIComponent(snapshotId)}&format=json`);
		const body: unknown = JSON.parse(text);
		if (status === 200 && Array.isArray(body)) return { snapshotId, rows: body, emitted: emulator.now() };
		const message = (body as { message?: unknown }).message;
		const hint = typeof message === 'string' ? message.match(TRY_AGAIN)?.[1] : undefined;
		await sleepEmulated(emulator, nextSleep(hint === undefined ? undefined : Number(hint)));
	}
	throw new Error(`Snapshot ${snapshotId} not ready after ${MAX_POLLS} polls`);
}
