/**
 * `npx tsx bench/profileManyInputs.ts [items]`: one Trigger and Wait run with N items (rows of about
 * 1 KB) through n8n's engine, for `node --cpu-prof`; prints wall time and CPU time of the run.
 */
import './env';

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

import { bigRow } from './collectors';
import { runNode, triggerAndWaitParams } from './contenders/node';
import { startBenchEmulator } from './emulator';

async function main(): Promise<void> {
	const items = Number(process.argv[2] ?? 20_000);
	const cache = Array.from({ length: 1000 }, (_, index) => bigRow(index));
	const session = new Session();
	session.connect();
	await session.post('Profiler.enable');
	const emulator = await startBenchEmulator({
		timeScale: 1000,
		collectors: [
			{
				id: 'c_prof',
				name: 'profile',
				mode: 'batch',
				inputFields: ['url'],
				outputFields: {},
				readySeconds: 1,
				issues: () => undefined,
				makeRow: (input) => cache[Number.parseInt(String(input.url).split('/').pop()!, 36) % cache.length],
			},
		],
	});
	// At timeScale 1000 the default 900 s Timeout is 0.9 real seconds: too short for 20,000 items.
	const params = triggerAndWaitParams('c_prof', { options: { timeout: 86_400 } });
	const inputs = (tag: string) => Array.from({ length: items }, (_, i) => ({ url: `https://bench.example/${tag}/${i.toString(36)}` }));
	try {
		await runNode(emulator, params, inputs('warm'));
		for (let round = 0; round < 2; round++) {
			if (round === 1) await session.post('Profiler.start');
			const cpu = process.cpuUsage();
			const started = performance.now();
			const result = await runNode(emulator, params, inputs(`r${round}`));
			const used = process.cpuUsage(cpu);
			if (round === 1) {
				const { profile } = await session.post('Profiler.stop');
				writeFileSync(process.env.PROFILE_OUT ?? 'many.cpuprofile', JSON.stringify(profile));
			}
			if (result.status !== 'success') throw new Error(`the run failed: ${result.error}`);
			console.log(`${items} items: ${result.items} rows, ${(performance.now() - started).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU (emulator included)`);
		}
	} finally {
		await emulator.close();
	}
}

void main();
