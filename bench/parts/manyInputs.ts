/**
 * Part 2 — many inputs: 10,000 incoming items through Trigger and Wait (one n8n execution),
 * against triggering one job per item and polling each the starter's way, 100 jobs at a time.
 * Both run on the same emulator and collector, one after the other.
 */
import { inputsPerJob } from '../../nodes/BrightDataScraperStudio/options/trigger';
import { perJobCostCollector } from '../collectors';
import { runNode, triggerAndWaitParams } from '../contenders/node';
import { runStarter } from '../contenders/starter';
import { startBenchEmulator, type BenchEmulator, type Stamp } from '../emulator';

const DEFAULT_INPUTS_PER_JOB = inputsPerJob.default;

export const PER_ITEM_CONCURRENCY = 100;
const COLLECTOR = 'c_many';

export interface ManySummary {
	label: string;
	items: number;
	rows: number;
	triggerCalls: number;
	apiCalls: number;
	/** Emulated seconds from the start to the last answer the contender needed. */
	apiSeconds: number;
	/** Real seconds from that answer to all rows in hand (download, parse, n8n engine). */
	tailRealSeconds: number;
	/** Real seconds of the whole run on the scaled clock. */
	wallRealSeconds: number;
}

async function measure(
	emulator: BenchEmulator,
	label: string,
	items: number,
	run: () => Promise<number>,
): Promise<ManySummary> {
	const first = emulator.api.requests.length;
	const start: Stamp = emulator.now();
	const rows = await run();
	const end = emulator.now();
	const requests = emulator.api.requests.slice(first);
	const lastAnswer = requests.reduce<Stamp | undefined>((latest, request) => {
		const stamp = emulator.stampOf(request);
		return stamp && (!latest || stamp.realMs > latest.realMs) ? stamp : latest;
	}, undefined);
	if (!lastAnswer) throw new Error(`${label}: no request was answered`);
	return {
		label,
		items,
		rows,
		triggerCalls: requests.filter((request) => request.path === '/dca/trigger').length,
		apiCalls: requests.length,
		apiSeconds: (lastAnswer.emulatedMs - start.emulatedMs) / 1000,
		tailRealSeconds: (end.realMs - lastAnswer.realMs) / 1000,
		wallRealSeconds: (end.realMs - start.realMs) / 1000,
	};
}

async function perItemJobs(emulator: BenchEmulator, inputs: Array<{ url: string }>): Promise<number> {
	let next = 0;
	let rows = 0;
	const worker = async (): Promise<void> => {
		while (next < inputs.length) {
			const input = inputs[next++];
			const result = await runStarter(emulator, COLLECTOR, [input]);
			rows += result.rows.length;
		}
	};
	await Promise.all(Array.from({ length: PER_ITEM_CONCURRENCY }, worker));
	return rows;
}

export async function runManyInputsBench({ items, timeScale }: { items: number; timeScale: number }): Promise<ManySummary[]> {
	const emulator = await startBenchEmulator({ timeScale, collectors: [perJobCostCollector(COLLECTOR)] });
	const inputs = (tag: string) =>
		Array.from({ length: items }, (_, index) => ({ url: `https://bench.example/${tag}/${index.toString(36)}` }));
	try {
		const node = await measure(emulator, `Trigger and Wait, all items in one execution (default Inputs per Job ${DEFAULT_INPUTS_PER_JOB})`, items, async () => {
			const result = await runNode(emulator, triggerAndWaitParams(COLLECTOR), inputs('node'));
			if (result.status !== 'success') throw new Error(`Trigger and Wait: ${result.error}`);
			return result.items;
		});
		const perItem = await measure(
			emulator,
			`One job per item, starter logic, ${PER_ITEM_CONCURRENCY} at a time`,
			items,
			async () => await perItemJobs(emulator, inputs('each')),
		);
		return [node, perItem];
	} finally {
		await emulator.close();
	}
}
