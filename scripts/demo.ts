/**
 * npm run demo: runs examples/trigger-and-wait.json through n8n's own engine (in-process) and
 * prints the scraped rows. Without an account it runs against the local emulator; with
 * BRIGHT_DATA_API_TOKEN and BRIGHT_DATA_COLLECTOR_ID set it runs against the real API.
 */
import '../test/harness/setup-env';

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject } from 'n8n-workflow';

import { startEmulator, type Emulator } from '../emulator/server';
import { timing } from '../nodes/shared/timing';
import { runWorkflow, type WorkflowDefinition } from '../test/harness/workflow';

const EXAMPLE = join(__dirname, '..', 'examples', 'trigger-and-wait.json');
const SCRAPER_NODE = 'Scrape products';
/** The emulator runs 10x faster than real time, so a 20 s job takes 2 s. */
const EMULATOR_TIME_SCALE = 10;
const COLUMNS = ['title', 'price', 'currency', 'availability', 'url'];

const { BRIGHT_DATA_API_TOKEN: realToken, BRIGHT_DATA_COLLECTOR_ID: realCollector } = process.env;

function loadExample(): WorkflowDefinition {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as WorkflowDefinition;
	if (realCollector) {
		const scraper = workflow.nodes.find(({ name }) => name === SCRAPER_NODE)!;
		scraper.parameters.collector = { __rl: true, mode: 'id', value: realCollector };
	}
	return workflow;
}

function table(rows: IDataObject[]): string {
	const columns = COLUMNS.filter((column) => rows.some((row) => row[column] !== undefined));
	const cell = (value: unknown) => (value === undefined || value === null ? '' : String(value)).slice(0, 60);
	const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
	const line = (cells: string[]) => cells.map((text, n) => text.padEnd(widths[n])).join('  ');
	return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(columns.map((column) => cell(row[column]))))].join('\n');
}

async function main(): Promise<number> {
	let emulator: Emulator | undefined;
	let baseUrl = 'https://api.brightdata.com';
	let token = realToken ?? '';
	if (realToken && realCollector) {
		console.log(`Running against the real Bright Data API with collector ${realCollector}.`);
	} else {
		emulator = await startEmulator({ timeScale: EMULATOR_TIME_SCALE });
		timing.msPerSecond = 1000 / EMULATOR_TIME_SCALE;
		({ url: baseUrl, token } = emulator);
		console.log(`No BRIGHT_DATA_API_TOKEN and BRIGHT_DATA_COLLECTOR_ID: using the Scraper Studio emulator at ${baseUrl}`);
		console.log(`(emulated time runs ${EMULATOR_TIME_SCALE}x faster; set both variables to run against the real API)\n`);
	}

	const startedAt = Date.now();
	let status = 'starting';
	let polls = 0;
	const progress = setInterval(() => {
		const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
		process.stdout.write(`\r  waiting ${seconds} s, status: ${status}, status checks: ${polls}   `);
	}, 250);
	try {
		const result = await runWorkflow(loadExample(), {
			baseUrl,
			token,
			onMessage: (_node, [message]) => {
				// The node reports each poll as "Bright Data snapshot <id>: <status>, <seconds> s".
				polls++;
				const [, snapshot, word] = /snapshot (\S+): (\w+)/.exec(String(message)) ?? [];
				status = snapshot ? `${word} (snapshot ${snapshot})` : String(message);
			},
		});
		clearInterval(progress);
		process.stdout.write('\n\n');
		if (result.status !== 'success') {
			console.error(`The workflow failed: ${result.error?.message ?? result.status}`);
			if (result.error?.description) console.error(result.error.description);
			return 1;
		}
		const [rows = [], failed = []] = result.outputOf(SCRAPER_NODE);
		const hints = result.run.data.resultData.runData[SCRAPER_NODE]?.[0]?.hints ?? [];
		console.log(table(rows.map(({ json }) => json)));
		console.log(`\n${rows.length} rows, ${failed.length} failed inputs, in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
		for (const { message } of hints) console.log(message);
		return rows.length ? 0 : 1;
	} catch (error) {
		clearInterval(progress);
		console.error(`\nThe demo could not run: ${(error as Error).message}`);
		return 1;
	} finally {
		await emulator?.close();
	}
}

main().then((code) => process.exit(code));
