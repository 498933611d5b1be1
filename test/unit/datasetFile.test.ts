import type { IBinaryData } from 'n8n-workflow';

import { CSV_HEADER_ROWS, datasetFileReader, type DatasetFile } from '../../nodes/BrightDataScraperStudio/helpers/datasetFile';
import type { OutputSettings } from '../../nodes/BrightDataScraperStudio/helpers/options';
import { RowSplitter } from '../../nodes/BrightDataScraperStudio/helpers/rowSplitter';

const rows = [
	{ title: 'A "quoted" {brace} [bracket] \\ back\\slash', nested: { list: [1, { x: '}' }] }, input: { url: 'https://a' } },
	{ title: 'B', price: 2.5, tags: [], empty: {}, input: { url: 'https://b' } },
	{ title: 'ü ✓ 😀 \\"', n: null, input: { url: 'https://c' } },
];

/** Splits `text` cut into chunks of `size` bytes; returns the rows' texts and whether the body was whole. */
function split(text: string, size: number) {
	const found: string[] = [];
	const splitter = new RowSplitter((row) => found.push(row.toString('utf8')));
	const bytes = Buffer.from(text);
	for (let at = 0; at < bytes.length; at += size) splitter.push(bytes.subarray(at, at + size));
	splitter.end();
	return { rows: found.map((row) => JSON.parse(row) as unknown), complete: splitter.complete };
}

describe('cutting a dataset body into rows without parsing it', () => {
	test.each([1, 2, 3, 5, 7, 64, 100000])('a JSON array cut every %i bytes', (size) => {
		expect(split(` \n${JSON.stringify(rows, null, 1)}\n`, size)).toEqual({ rows, complete: true });
	});

	test.each([1, 4, 100000])('NDJSON cut every %i bytes', (size) => {
		expect(split(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n\n`, size)).toEqual({ rows, complete: true });
	});

	test('array elements that are not objects are skipped', () => {
		expect(split('[1, "x]", [{"a":1}], {"b":2}, null]', 3)).toEqual({ rows: [{ b: 2 }], complete: true });
	});

	test('a torn body is not complete', () => {
		expect(split(JSON.stringify(rows).slice(0, -5), 10).complete).toBe(false);
		expect(split('{"a":1}\n{"a":', 4).complete).toBe(false);
		expect(split('[{"a":1}] trailing', 4).complete).toBe(false);
	});
});

type Settings = Pick<OutputSettings, 'fileFormat' | 'failedRows'>;

/** Reads a 200 answer with `body` (cut in chunks) through the file reader, as fetchDataset would. */
async function readFile(body: string, settings: Settings, size = 7) {
	const files: string[] = [];
	const ctx = {
		helpers: {
			prepareBinaryData: async (data: Buffer | AsyncIterable<Buffer>, fileName?: string, mimeType?: string) => {
				const chunks: Buffer[] = [];
				if (Buffer.isBuffer(data)) chunks.push(data);
				else for await (const chunk of data) chunks.push(chunk);
				files.push(Buffer.concat(chunks).toString('utf8'));
				return { data: '', fileName, mimeType } as IBinaryData;
			},
		},
	};
	const bytes = Buffer.from(body);
	const stream = (async function* () {
		for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
	})();
	const reader = datasetFileReader(ctx as never, settings, 'j_1.json');
	const state = await reader.read(200, stream);
	return { state, file: files[0] };
}

const failedRow = { input: { url: 'https://dead' }, error: 'Page not found', error_code: 'dead_page' };

describe('writing a dataset into a file as it downloads', () => {
	test('JSON stays JSON, byte for byte per row; a failed row goes to the Failed output', async () => {
		const body = JSON.stringify([rows[0], failedRow, rows[1]]);
		const { state, file } = await readFile(body, { fileFormat: 'json', failedRows: 'separate' });
		expect(JSON.parse(file)).toEqual([rows[0], rows[1]]);
		expect(state).toMatchObject({ kind: 'ready', rows: 2, total: 3, failedCount: 1, failed: [failedRow] });
	});

	test('a pretty-printed array becomes NDJSON, one row per line; failed rows can stay', async () => {
		const { state, file } = await readFile(JSON.stringify([...rows, failedRow], null, 2), { fileFormat: 'ndjson', failedRows: 'main' });
		expect(file.split('\n')).toHaveLength(5);
		expect(file.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([...rows, failedRow]);
		expect(state).toMatchObject({ rows: 4, total: 4, failedCount: 1, failed: [] });
	});

	test('an NDJSON body becomes a JSON array; dropped failed rows are only counted', async () => {
		const body = [failedRow, ...rows].map((row) => JSON.stringify(row)).join('\n');
		const { state, file } = await readFile(body, { fileFormat: 'json', failedRows: 'drop' });
		expect(JSON.parse(file)).toEqual(rows);
		expect(state).toMatchObject({ rows: 3, total: 4, failedCount: 1, failed: [] });
	});

	test('CSV: columns from the first rows; a field first seen later is reported, not silently lost', async () => {
		const many = Array.from({ length: CSV_HEADER_ROWS + 2 }, (_, index) => ({ id: index, name: `n${index}` }));
		const body = JSON.stringify([...many, { id: 'late', extra: 'x' }]);
		const { state, file } = await readFile(body, { fileFormat: 'csv', failedRows: 'separate' }, 4096);
		const lines = file.trim().split('\n');
		expect(lines[0]).toBe('id,name,input,error,error_code,warning,warning_code');
		expect(lines[1]).toBe('0,n0,,,,,');
		expect(lines).toHaveLength(CSV_HEADER_ROWS + 4);
		expect((state as DatasetFile).columnsLeftOut).toEqual(['extra']);
	});

	test('a small CSV has exactly the fields of its rows', async () => {
		const { file } = await readFile(JSON.stringify([{ a: 1 }, { b: 'x,y' }]), { fileFormat: 'csv', failedRows: 'main' });
		expect(file).toBe('a,b\n1,\n,"x,y"\n');
	});

	test('not ready: a status object, an empty or null body; [] is ready and empty', async () => {
		const settings: Settings = { fileFormat: 'json', failedRows: 'main' };
		expect((await readFile('{"status":"building","message":"try again in 5s"}', settings)).state).toMatchObject({
			kind: 'pending',
			status: 'building',
			retryInSeconds: 5,
		});
		expect((await readFile('', settings)).state).toMatchObject({ kind: 'pending' });
		expect((await readFile('null', settings)).state).toMatchObject({ kind: 'pending' });
		const empty = await readFile('[]', settings);
		expect(empty.state).toMatchObject({ kind: 'ready', rows: 0, total: 0 });
		expect(empty.file).toBe('[]');
	});

	test('one NDJSON row that is not a status object is a row', async () => {
		const { state, file } = await readFile(JSON.stringify(rows[1]), { fileFormat: 'json', failedRows: 'main' });
		expect(state).toMatchObject({ kind: 'ready', rows: 1 });
		expect(JSON.parse(file)).toEqual([rows[1]]);
	});

	test('a torn body is invalid, so fetchDataset reads it again', async () => {
		const settings: Settings = { fileFormat: 'ndjson', failedRows: 'main' };
		expect((await readFile(JSON.stringify(rows).slice(0, -3), settings)).state).toMatchObject({ kind: 'invalid' });
		const torn = `${JSON.stringify(rows[0])}\n${JSON.stringify(rows[1]).slice(0, 10)}`;
		expect((await readFile(torn, settings)).state).toMatchObject({ kind: 'invalid' });
	});
});
