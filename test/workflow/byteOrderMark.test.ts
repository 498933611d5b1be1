/**
 * A dataset body that starts with a UTF-8 byte-order mark (some exports write one) is read like
 * any other, as items and into a file, JSON and NDJSON, even with the mark split across chunks.
 */
import { useEmulator } from '../harness/emulator';
import { fileText } from '../harness/files';
import { getDataset } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';

const emulator = useEmulator();
const run = (parameters: Parameters<typeof runScraper>[0]) =>
	runScraper(parameters, [{}], { baseUrl: emulator.current().url, token: emulator.current().token });

const BOM = '\uFEFF';
const rows = [{ title: 'A', price: 1 }, { title: 'B', price: 2 }];
const bodies = {
	json: { body: `${BOM}${JSON.stringify(rows)}`, contentType: 'application/json; charset=utf-8' },
	ndjson: { body: `${BOM}${rows.map((row) => JSON.stringify(row)).join('\n')}\n`, contentType: 'application/x-ndjson; charset=utf-8' },
};

describe.each(Object.entries(bodies))('a %s dataset with a byte-order mark', (_format, { body, contentType }) => {
	beforeEach(() => {
		// Every answer, so a body read as unreadable would fail all three tries.
		emulator.current().injectFault({ method: 'GET', path: '/dca/dataset', kind: 'malformed', body, contentType, times: Infinity });
	});

	test('gives one item per row', async () => {
		const result = await run(getDataset('j_bom'));
		expect(result.status).toBe('success');
		expect(result.items.map(({ json }) => json)).toEqual(rows);
	});

	test('is written into a JSON file without the mark', async () => {
		const result = await run({ ...getDataset('j_bom'), outputMode: 'file', fileFormat: 'json' });
		expect(result.status).toBe('success');
		expect(result.outputOf(SCRAPER)[0][0].json).toMatchObject({ count: 2, format: 'json' });
		expect(JSON.parse(fileText(result.items[0]))).toEqual(rows);
	});
});
