import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/server';
import { timing } from '../../nodes/shared/timing';

/**
 * Starts an emulator for a test file and scales the node's clock to the emulator's: with
 * `timeScale` 1000, an emulated second lasts 1 ms for both, so a 20 s job takes 20 ms.
 */
export function useEmulator(options: EmulatorOptions = {}): { current: () => Emulator } {
	let emulator: Emulator | undefined;
	const timeScale = options.timeScale ?? 1000;
	beforeAll(async () => {
		emulator = await startEmulator({ ...options, timeScale });
	});
	beforeEach(() => {
		timing.msPerSecond = 1000 / timeScale;
		emulator?.clearFaults();
	});
	afterAll(async () => {
		await emulator?.close();
		timing.msPerSecond = 1000;
	});
	return {
		current: () => {
			if (!emulator) throw new Error('The emulator has not started');
			return emulator;
		},
	};
}
