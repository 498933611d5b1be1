/**
 * Trigger and Wait with "Resume on Notification", in-process: the execution parks as n8n's
 * waiting executions do, and is resumed through the node's webhook() in a real WebhookContext,
 * or by the wait tracker when no call comes. (The end-to-end tests do the same in a real n8n.)
 */
import { createHash } from 'node:crypto';

import type { IRun } from 'n8n-workflow';

import { useEmulator } from '../harness/emulator';
import { fileText, ndjsonRows } from '../harness/files';
import { triggerAndWait } from '../harness/params';
import {
	callResumeWebhook,
	EXECUTION_ID,
	LINK_CHECK_TYPE,
	resumeAfterWaitTill,
	runScraper,
	scraperWorkflow,
	runWorkflow,
	SCRAPER,
	WAITING_BASE_URL,
	type WorkflowDefinition,
} from '../harness/workflow';
import { recordN8nLogs } from '../reliability/helpers';

// Slow enough that no job is done before the execution parks (the node would then output its rows at once).
const emulator = useEmulator({ timeScale: 10 });
const options = () => ({ baseUrl: emulator.current().url, token: emulator.current().token });
const product = (name: string) => ({ url: `https://shop.example/product/${name}` });
const items = [product('speaker'), product('fail-lamp'), product('desk')];

/**
 * Adds "Rows" and "Failed" after the Scraper's two outputs; for each row they evaluate the item
 * link (`linked`: the Source item n8n links the row to) and the way README gives to match a row to
 * its item after a resume (`matched`: the Source item whose url the row's echoed input carries).
 */
function withLinkChecks(definition: WorkflowDefinition): WorkflowDefinition {
	const check = (name: string, x: number) => ({
		id: name.toLowerCase(),
		name,
		type: LINK_CHECK_TYPE,
		typeVersion: 1,
		position: [x, 0] as [number, number],
		parameters: {
			linked: "={{ $('Source').item.json.url }}",
			matched: "={{ $('Source').all().find((item) => item.json.url === $json.input.url).json.url }}",
		},
	});
	return {
		nodes: [...definition.nodes, check('Rows', 400), check('Failed', 600)],
		connections: {
			...definition.connections,
			[SCRAPER]: { main: [[{ node: 'Rows', type: 'main', index: 0 }], [{ node: 'Failed', type: 'main', index: 0 }]] },
		},
	};
}

/** Starts a waiting execution and returns it with the notify URL Bright Data was given. */
async function startWaiting(collector = 'c_products01', extra = {}, links = false) {
	const scraper = scraperWorkflow(triggerAndWait(collector, { waitMode: 'notification', ...extra }), items);
	const definition = links ? withLinkChecks(scraper) : scraper;
	const before = emulator.current().jobs.length;
	const waiting = await runWorkflow(definition, options());
	const jobs = emulator.current().jobs.slice(before);
	const notify = JSON.parse(String(jobs[0]?.options.notify ? JSON.stringify(jobs[0].options.notify) : '{}')) as { endpoint?: string };
	return { definition, waiting, jobs, endpoint: new URL(notify.endpoint ?? 'http://invalid') };
}

const queryOf = (url: URL) => Object.fromEntries(url.searchParams.entries());

describe('Resume on Notification', () => {
	test('a Notify When Done of the user\'s own is refused before any job starts, not silently replaced', async () => {
		const before = emulator.current().count('POST', '/dca/trigger');
		const delivery = { notify: { type: 'webhook', endpoint: 'https://n8n.example.com/webhook/done' } };

		const { status, error } = await runWorkflow(scraperWorkflow(triggerAndWait('c_products01', { waitMode: 'notification', delivery }), items), options());

		expect(status).toBe('error');
		expect(error?.message).toMatch(/Notify When Done/);
		expect(error?.description).toMatch(/Wait Mode to "Poll"/);
		expect(emulator.current().count('POST', '/dca/trigger')).toBe(before);
	});

	test('the execution waits; the job carries a notify URL to this execution and the timeout as its deadline', async () => {
		const { waiting, jobs, endpoint } = await startWaiting('c_products01', { options: { timeout: 900 } });

		expect(waiting.status).toBe('waiting');
		expect(jobs).toHaveLength(1);
		expect(`${endpoint.origin}${endpoint.pathname}`).toBe(`${WAITING_BASE_URL}/${EXECUTION_ID}/scraper`);
		expect(endpoint.searchParams.get('brightdata')).toMatch(/^[0-9a-f]{32}$/);
		expect(jobs[0].options).toMatchObject({ deadline: '900s' });
	});

	test('the notification resumes it with the rows in input order, failed inputs on their own output', async () => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		emulator.current().finish(jobs[0].id);

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint), body: { collection_id: jobs[0].id } }, options());
		const [rows, failed] = answer.resumed!.outputOf(SCRAPER);

		expect(answer.resumed?.status).toBe('success');
		expect(rows.map(({ json }) => json.input)).toEqual([items[0], items[2]]);
		expect(failed.map(({ json }) => [json.input, json.error_code])).toEqual([[items[1], expect.any(String)]]);
		// n8n renumbers a resumed node's items by position (addPairedItemLineage), so item
		// linking after a resume is positional; each row still carries its echoed input.
	});

	test.each([
		['a forged call (wrong token)', (url: URL) => ({ ...queryOf(url), brightdata: '0'.repeat(32) }), {}, 401],
		['a call without the token', () => ({}), {}, 401],
		// Until the compare hashed both sides, a token of the right length in characters but not in
		// bytes made timingSafeEqual throw, and the webhook failed instead of answering 401.
		['a non-ASCII token of the right length', (url: URL) => ({ ...queryOf(url), brightdata: 'ü'.repeat(32) }), {}, 401],
		['a 1 MB token', (url: URL) => ({ ...queryOf(url), brightdata: 'f'.repeat(1 << 20) }), {}, 401],
		['the right token twice (an array)', (url: URL) => ({ brightdata: [queryOf(url).brightdata, queryOf(url).brightdata] }), {}, 401],
		['a notification for another snapshot', queryOf, { collection_id: 'j_someoneelse' }, 409],
		// The trigger node's rule and keys (findSnapshotId): one level down too.
		['a notification naming another snapshot in a nested object', queryOf, { data: { snapshot_id: 'j_someoneelse' } }, 409],
	])('%s is refused without resuming', async (_name, query, body, status) => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		emulator.current().finish(jobs[0].id);

		const answer = await callResumeWebhook(definition, waiting.run, { query: query(endpoint), body }, options());

		expect(answer).toEqual({ status, body: { error: expect.any(String) } });
		expect(waiting.run.data.waitTill).toBeDefined();
	});

	test('the wait state fits one custom data value of 255 characters by length, with IDs of up to 128 characters: 2 jobs are refused before any job starts', async () => {
		const many = (count: number) => Array.from({ length: count }, (_, n) => product(`item-${n}`));
		const parameters = triggerAndWait('c_stuck05', { waitMode: 'notification', options: { inputsPerJob: 1 } });
		const logs = recordN8nLogs();
		try {
			const one = await runWorkflow(scraperWorkflow(parameters, many(1)), options());
			const state = String(one.run.data.resultData.metadata?.brightdata_wait);

			expect(one.status).toBe('waiting');
			expect(JSON.parse(state)).toEqual({ nonce_sha256: expect.stringMatching(/^[\w-]{43}$/), snapshot_id: emulator.current().jobs.at(-1)!.id });
			// The longest state: one snapshot ID of 128 characters.
			expect(state.length - emulator.current().jobs.at(-1)!.id.length + 128).toBeLessThanOrEqual(255);
			// n8n logs an error for a custom data value over 255 characters (and cuts it at 512).
			expect(logs.records.filter(({ message }) => String(message).includes('Custom data'))).toEqual([]);
		} finally {
			logs.restore();
		}

		const before = emulator.current().requests.length;
		const two = await runScraper(parameters, many(3), options());
		expect(two.error?.message).toBe('Resume on Notification waits for one job; this run needs 3');
		expect(two.error?.description).toContain('Set Inputs per Job to 3 or more for these 3 inputs');
		expect((two.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
		expect(emulator.current().requests.slice(before)).toEqual([]);
	});

	test('only a hash of the nonce is stored where the execution shows it; the nonce itself still resumes', async () => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		const nonce = endpoint.searchParams.get('brightdata')!;
		const stored = JSON.stringify(waiting.run.data.resultData.metadata);

		expect(stored).not.toContain(nonce);
		expect(stored).toContain(createHash('sha256').update(nonce).digest('base64url'));
		// The stored hash is no token: presented as one, it is refused.
		const hash = JSON.parse(String(waiting.run.data.resultData.metadata?.brightdata_wait)).nonce_sha256;
		const forged = await callResumeWebhook(definition, waiting.run, { query: { brightdata: hash } }, options());
		expect(forged.status).toBe(401);
		emulator.current().finish(jobs[0].id);
		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint) }, options());
		expect(answer.resumed?.status).toBe('success');
	});

	test.each([
		['cut short (as n8n cuts a value over its limit)', (state: string) => state.slice(0, -3)],
		['cut inside the snapshot ID', (state: string) => state.slice(0, state.lastIndexOf('"') - 4)],
		['not the node\'s format', () => 'abc j_short'],
	])('a wait state %s is no state: the right token is refused, no request names a wrong ID', async (_name, spoil) => {
		const { definition, waiting, jobs, endpoint } = await startWaiting();
		emulator.current().finish(jobs[0].id);
		const metadata = waiting.run.data.resultData.metadata!;
		metadata.brightdata_wait = spoil(String(metadata.brightdata_wait));
		const before = emulator.current().requests.length;

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint) }, options());

		expect(answer).toEqual({ status: 401, body: { error: 'Invalid token' } });
		expect(emulator.current().requests.slice(before)).toEqual([]);
	});

	test('with Continue On Fail, an invalid item: no job starts, every item gets an error item (the wait cannot carry them)', async () => {
		const before = emulator.current().requests.length;
		const withEmpty = [items[0], {}, items[2]];

		const result = await runScraper(triggerAndWait('c_products01', { waitMode: 'notification' }), withEmpty, { ...options(), continueOnFail: true });

		// Parking would have dropped the empty item's error item.
		expect(result.status).toBe('success');
		const notSent = 'Not sent to Bright Data: item 1 is invalid, and Resume on Notification starts the jobs only when every item is valid';
		expect(result.items.map(({ json, pairedItem }) => [json.error, pairedItem])).toEqual([
			[notSent, { item: 0 }],
			['Item 1 is empty, so it gives no input', { item: 1 }],
			[notSent, { item: 2 }],
		]);
		expect(emulator.current().requests.slice(before)).toEqual([]);
	});

	test('an early or replayed call while the snapshot still builds does not resume', async () => {
		const { definition, waiting, endpoint } = await startWaiting('c_stuck05');

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint) }, options());

		expect(answer.status).toBe(202);
		expect(answer.resumed).toBeUndefined();
	});

	test('no call within the timeout: n8n resumes it with the snapshot IDs and timed_out, not the input items', async () => {
		const { definition, waiting, jobs } = await startWaiting('c_stuck05');

		const resumed = await resumeAfterWaitTill(definition, waiting.run as IRun, options());

		expect(resumed.status).toBe('success');
		expect(resumed.outputOf(SCRAPER)[0].map(({ json }) => json)).toEqual([
			{ snapshot_ids: [jobs[0].id], ready: false, timed_out: true, status: 'no notification from Bright Data' },
		]);
	});
	test("n8n's input stays as it is: the waiting node's input items are untouched; the stack entry it resumes from carries the timed-out item", async () => {
		const { waiting, jobs } = await startWaiting('c_stuck05');
		const { runData } = waiting.run.data.resultData;
		const marker = { snapshot_ids: [jobs[0].id], ready: false, timed_out: true, status: 'no notification from Bright Data' };

		// What the node got from n8n (getInputData), as it returned it while waiting, and the Source's output.
		expect(runData[SCRAPER][0].data!.main[0]!.map(({ json }) => json)).toEqual(items);
		expect(runData.Source[0].data!.main[0]!.map(({ json }) => json)).toEqual(items);
		// What n8n passes on if it resumes the disabled node at the wait's end (handleDisabledNode).
		const [entry] = waiting.run.data.executionData!.nodeExecutionStack;
		expect(entry.node.name).toBe(SCRAPER);
		expect(entry.data.main.map((input) => input?.map(({ json }) => json))).toEqual([[marker]]);
		expect(entry.source?.main[0]?.previousNode).toBe('Source');
	});

	test('item links: Poll mode links each row (Rows and Failed) to the item whose input it answers', async () => {
		const definition = withLinkChecks(scraperWorkflow(triggerAndWait('c_products01', { options: { pollInterval: 1 } }), items));

		const done = await runWorkflow(definition, options());

		expect(done.status).toBe('success');
		for (const node of ['Rows', 'Failed']) {
			for (const { json } of done.outputOf(node)[0]) expect(json).toEqual({ url: json.url, linked: json.url, matched: json.url });
		}
		expect(done.outputOf('Failed')[0]).toHaveLength(1);
	});

	test("item links after a resume: n8n renumbers the resumed node's rows by position, so each row is matched to its item by its echoed input", async () => {
		const { definition, waiting, jobs, endpoint } = await startWaiting('c_products01', {}, true);
		emulator.current().finish(jobs[0].id);

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint), body: { collection_id: jobs[0].id } }, options());
		const done = answer.resumed!;
		const rows = done.outputOf('Rows')[0].map(({ json }) => json);
		const failed = done.outputOf('Failed')[0].map(({ json }) => json);

		expect(done.status).toBe('success');
		// The documented way (README, Waiting): $json.input against the incoming items.
		expect(rows.map(({ url, matched }) => [url, matched])).toEqual([
			[items[0].url, items[0].url],
			[items[2].url, items[2].url],
		]);
		expect(failed.map(({ url, matched }) => [url, matched])).toEqual([[items[1].url, items[1].url]]);
		// n8n's own links after a resume, pinned so that a change in n8n shows here: the node runs
		// disabled and its rows are renumbered by position (addPairedItemLineage in n8n-core's
		// WorkflowExecute), so the second row points at the second item, and the "Failed" rows at an
		// input the node does not have (no item).
		expect(rows.map(({ linked }) => linked)).toEqual([items[0].url, items[1].url]);
		expect(failed.map(({ linked }) => linked)).toEqual([undefined]);
		expect(done.run.data.resultData.runData[SCRAPER][0].data!.main.map((output) => output?.map(({ pairedItem }) => pairedItem))).toEqual([
			[{ item: 0 }, { item: 1 }],
			[{ item: 0, input: 1 }],
		]);
	});
});

describe('Resume on Notification: File output, written while the dataset downloads as in Poll mode', () => {
	const DATASET = { method: 'GET', path: '/dca/dataset' } as const;
	/** A row whose echoed input is 100,000 levels deep: read fine, but JSON.stringify cannot write it (stack overflow). */
	const deepRow = `{"title":"deep","input":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
	/** Each format's row texts (CSV: with the header checked). */
	const rowTexts = {
		json: (text: string) => (JSON.parse(text) as object[]).map((row) => JSON.stringify(row)),
		ndjson: (text: string) => ndjsonRows(text).map((row) => JSON.stringify(row)),
		csv: (text: string) => {
			const [header, ...lines] = text.trim().split('\n');
			return header.split(',').includes('input') ? lines : [];
		},
	};
	/** The incoming item each row text answers. */
	const answered = (texts: string[]) => texts.map((text) => items.find(({ url }) => text.includes(url)));

	async function resume(extra: object) {
		const { definition, waiting, jobs, endpoint } = await startWaiting('c_products01', extra);
		emulator.current().finish(jobs[0].id);
		return { jobs, answer: await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint), body: { collection_id: jobs[0].id } }, options()) };
	}

	test.each(['json', 'ndjson', 'csv'] as const)('%s: the file holds the rows; the item its count and snapshot ID; the failed input goes to "Failed"', async (fileFormat) => {
		const { jobs, answer } = await resume({ outputMode: 'file', fileFormat });
		const [main, failed] = answer.resumed!.outputOf(SCRAPER);

		expect(answer.resumed?.status).toBe('success');
		expect(main.map(({ json }) => json)).toEqual([{ snapshot_id: jobs[0].id, count: 2, format: fileFormat }]);
		expect(main[0].binary!.data).toMatchObject({ fileName: `${jobs[0].id}.${fileFormat}` });
		expect(answered(rowTexts[fileFormat](fileText(main[0])))).toEqual([items[0], items[2]]);
		expect(failed.map(({ json }) => [json.input, json.error_code])).toEqual([[items[1], expect.any(String)]]);
	});

	test('the rows are copied into the file, not parsed and written again: a row JSON.stringify cannot write arrives as sent', async () => {
		const { definition, waiting, jobs, endpoint } = await startWaiting('c_products01', { outputMode: 'file', fileFormat: 'json' });
		emulator.current().finish(jobs[0].id);
		emulator.current().injectFault({ ...DATASET, kind: 'malformed', body: `[${deepRow}]` });

		const answer = await callResumeWebhook(definition, waiting.run, { query: queryOf(endpoint), body: { collection_id: jobs[0].id } }, options());
		const [file] = answer.resumed!.outputOf(SCRAPER)[0];

		// Read into rows and serialised again (as before), this row failed the resume with a RangeError.
		expect(answer.resumed?.status).toBe('success');
		expect(file.json).toEqual({ snapshot_id: jobs[0].id, count: 1, format: 'json' });
		expect(fileText(file) === `[${deepRow}]`).toBe(true);
	});

	test('a job already done when the execution would park: its file is written at once, the same way', async () => {
		emulator.current().injectFault({ ...DATASET, kind: 'malformed', body: `[${deepRow}]` });

		const { waiting, jobs } = await startWaiting('c_products01', { outputMode: 'file', fileFormat: 'json' });
		const [file] = waiting.outputOf(SCRAPER)[0];

		expect(waiting.status).toBe('success');
		expect(file.json).toEqual({ snapshot_id: jobs[0].id, count: 1, format: 'json' });
		expect(fileText(file) === `[${deepRow}]`).toBe(true);
	});

	test('a Row Limit needs the rows in input order first, so they are read into memory, as in Poll mode', async () => {
		const { jobs, answer } = await resume({ outputMode: 'file', fileFormat: 'ndjson', options: { timeout: 86400, rowLimit: 1 } });
		const [[file]] = answer.resumed!.outputOf(SCRAPER);

		expect(file.json).toEqual({ snapshot_id: jobs[0].id, count: 1, format: 'ndjson' });
		expect(answered(rowTexts.ndjson(fileText(file)))).toEqual([items[0]]);
	});
});
