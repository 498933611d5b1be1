/**
 * The emulator as the bench uses it: started with the node's clock scaled to it, and with every
 * answered request stamped with the emulated and real time it was sent, so delays can be split
 * into "waiting for the next poll" (emulated time) and "download and processing" (real time).
 */
import { setMaxListeners } from 'node:events';

import { startEmulator, type Emulator, type EmulatorOptions, type RecordedRequest } from '../emulator/server';
import { timing } from '../nodes/shared/timing';

export interface Stamp {
	/** Emulated epoch ms when the answer was sent. */
	emulatedMs: number;
	/** performance.now() when the answer was sent. */
	realMs: number;
}

export interface BenchEmulator {
	api: Emulator;
	timeScale: number;
	/** When the answer to this request was sent (undefined: not answered). */
	stampOf(request: RecordedRequest): Stamp | undefined;
	/** The emulated and real time of now. */
	now(): Stamp;
	/** Real milliseconds for a duration in emulated seconds. */
	realMs(emulatedSeconds: number): number;
	close(): Promise<void>;
}

export async function startBenchEmulator(options: EmulatorOptions & { timeScale: number }): Promise<BenchEmulator> {
	// Every pending long-poll listens to the emulator's closing signal: dozens at once are expected.
	setMaxListeners(1000);
	const stamps = new Map<RecordedRequest, Stamp>();
	let api: Emulator | undefined;
	let cursor = 0;
	// The emulator logs one line right after it sets a request's status: that request is the one
	// answered but not yet stamped. Requests are answered roughly in order, so a cursor keeps it cheap.
	const logger = (): void => {
		if (!api) return;
		const { requests } = api;
		for (let index = cursor; index < requests.length; index++) {
			const request = requests[index];
			if (request.status === null || stamps.has(request)) continue;
			stamps.set(request, { emulatedMs: api.now(), realMs: performance.now() });
			break;
		}
		while (cursor < requests.length && stamps.has(requests[cursor])) cursor++;
	};
	api = await startEmulator({ datasetDefaultFormat: 'json', ...options, logger });
	const started = api;
	timing.msPerSecond = 1000 / options.timeScale;
	return {
		api: started,
		timeScale: options.timeScale,
		stampOf: (request) => stamps.get(request),
		now: () => ({ emulatedMs: started.now(), realMs: performance.now() }),
		realMs: (emulatedSeconds) => (emulatedSeconds * 1000) / options.timeScale,
		close: async () => {
			timing.msPerSecond = 1000;
			await started.close();
		},
	};
}

/** Sleeps an emulated duration on the emulator's scale. */
export const sleepEmulated = (emulator: BenchEmulator, seconds: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, emulator.realMs(seconds)));
