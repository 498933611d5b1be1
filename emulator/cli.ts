/**
 * Standalone emulator: `npx tsx emulator/cli.ts [--port N] [--time-scale N] [--token T]`
 * (or EMULATOR_PORT, EMULATOR_TIME_SCALE, EMULATOR_TOKEN). Stops on SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util';

import { COLLECTORS } from './collectors';
import { startEmulator } from './server';

function numberOption(value: string | undefined, name: string, fallback: number): number {
	if (value === undefined || value === '') return fallback;
	const number = Number(value);
	if (!Number.isFinite(number) || number < 0) throw new Error(`${name} must be a non-negative number, got "${value}"`);
	return number;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string' },
			'time-scale': { type: 'string' },
			token: { type: 'string' },
			quiet: { type: 'boolean', default: false },
		},
	});
	const env = process.env;
	const emulator = await startEmulator({
		port: numberOption(values.port ?? env.EMULATOR_PORT, 'port', 0),
		timeScale: numberOption(values['time-scale'] ?? env.EMULATOR_TIME_SCALE, 'time scale', 1),
		token: values.token ?? env.EMULATOR_TOKEN,
		logger: values.quiet ? undefined : (line) => console.log(line),
	});
	// The emulator's own fake token, printed so a developer can paste it into a credential.
	console.log(`Scraper Studio emulator listening on ${emulator.url} (token: ${emulator.token}, time scale: ${emulator.timeScale})`);
	console.log(`Collectors: ${COLLECTORS.map((collector) => `${collector.id} (${collector.name})`).join(', ')}`);

	let stopping = false;
	const stop = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal} received, stopping emulator`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	// `on`, not `once`: tsx re-raises a signal that no listener handles any more.
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
