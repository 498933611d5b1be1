/**
 * File output written while the dataset downloads (helpers/datasetFile.ts), on the emulator:
 * the same rows as the item modes, failed inputs on their output, and the ready check, torn
 * downloads and quirky bodies handled on the one response that fills the file.
 */
import { useEmulator } from '../harness/emulator';
import { fileText, ndjsonRows } from '../harness/files';
import { getDataset, triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';

const emulator = useEmulator();
const run = (parameters: Parameters<typeof runScraper>[0], items: Parameters<typeof runScraper>[1]) =>
	runScraper(parameters, items, { baseUrl: emulator.current().url, token: emulator.current().token });

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });
const ITEMS = [product('speaker'), product('fail-me'), product('lamp')];
const DATASET = { method: 'GET', path: '/dca/dataset' } as const;


describe('File output streamed from the download', () => {
	test('the JSON file holds the same rows as One Item per Row; the failed input goes to "Failed", linked', async () => {
		const asItems = await run(triggerAndWait('c_products01'), ITEMS);
		const asFile = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'json' }), ITEMS);
		const [main, failed] = asFile.outputOf(SCRAPER);

		expect(asFile.status).toBe('success');
		expect(main).toHaveLength(1);
		expect(main[0].json).toEqual({ snapshot_id: expect.any(String), count: 2, format: 'json' });
		expect(main[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The emulator's rows are deterministic, so two jobs with the same inputs give the same rows.
		expect(JSON.parse(fileText(main[0]))).toEqual(asItems.outputOf(SCRAPER)[0].map(({ json }) => json));
		expect(failed).toEqual([{ json: expect.objectContaining({ input: ITEMS[1], error_code: expect.any(String) }), pairedItem: { item: 1 } }]);
		const hints = asFile.run.data.resultData.runData[SCRAPER][0].hints ?? [];
		expect(hints.map(({ message }) => message).join()).toMatch(/Collected 3 rows.*1 of 3 inputs failed/);
	});

	test('an NDJSON dataset becomes a JSON file, and a JSON dataset an NDJSON file', async () => {
		const fromNdjson = await run(triggerAndWait('c_ndjson06', { outputMode: 'file', fileFormat: 'json', options: { failedRows: 'main' } }), ITEMS);
		const rows = JSON.parse(fileText(fromNdjson.items[0])) as Array<{ input: unknown }>;
		expect(rows.map(({ input }) => input)).toEqual(ITEMS);

		const toNdjson = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'ndjson', options: { failedRows: 'drop' } }), ITEMS);
		expect(toNdjson.outputOf(SCRAPER)).toHaveLength(1);
		expect(ndjsonRows(fileText(toNdjson.items[0])).map((row) => (row as { input: unknown }).input)).toEqual([ITEMS[0], ITEMS[2]]);
		expect(toNdjson.items[0].json).toMatchObject({ count: 2, format: 'ndjson' });
	});

	test('a torn download is fetched again into a new file; a 200 status object means "not ready yet"', async () => {
		const api = emulator.current();
		api.injectFault({ ...DATASET, kind: 'tornNdjson' });
		api.injectFault({ ...DATASET, kind: 'statusObject', times: 2 });

		const result = await run(triggerAndWait('c_ndjson06', { outputMode: 'file', fileFormat: 'csv', options: { failedRows: 'main' } }), ITEMS);

		expect(result.status).toBe('success');
		const lines = fileText(result.items[0]).trim().split('\n');
		expect(lines).toHaveLength(1 + ITEMS.length);
		expect(lines[0].split(',')).toContain('input');
		expect(result.items[0].json).toMatchObject({ count: 3, format: 'csv' });
	});

	test('an empty dataset gives an empty file with count 0', async () => {
		const result = await run(triggerAndWait('c_empty13', { outputMode: 'file', fileFormat: 'json' }), [product('a')]);
		expect(result.items[0].json).toMatchObject({ count: 0, format: 'json' });
		expect(fileText(result.items[0])).toBe('[]');
	});

	test('a Row Limit keeps the rows in input order first (the rows are parsed for it)', async () => {
		const result = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'ndjson', options: { rowLimit: 1 } }), ITEMS);
		expect(ndjsonRows(fileText(result.items[0]))).toEqual([expect.objectContaining({ input: ITEMS[0] })]);
		expect(result.items[0].json).toMatchObject({ count: 1 });
	});

	test('Get Dataset writes the file the same way', async () => {
		const done = await run(triggerAndWait('c_products01'), ITEMS);
		const snapshotId = done.run.data.resultData.runData[SCRAPER][0].hints?.[0]?.message.match(/snapshot (\S+) in/)?.[1];
		expect(snapshotId).toBeDefined();

		const result = await run({ ...getDataset(snapshotId!), outputMode: 'file', fileFormat: 'ndjson' }, [{}]);

		expect(result.items[0].json).toEqual({ snapshot_id: snapshotId, count: 3, format: 'ndjson' });
		expect(ndjsonRows(fileText(result.items[0]))).toHaveLength(3);
	});
});
