import { Readable } from 'node:stream';

import { NodeOperationError, type IBinaryData, type INode } from 'n8n-workflow';

import { readerFor } from '../../nodes/BrightDataScraperStudio/output/datasetFile';
import { CSV_HEADER_ROWS } from '../../nodes/BrightDataScraperStudio/output/fileRows';
import type { OutputSettings } from '../../nodes/BrightDataScraperStudio/options/output';
import { RowSplitter } from '../../nodes/shared/snapshot/rowSplitter';
import type { ReadableFactory } from '../../nodes/shared/transport/body';
import { LateAnswerError, mapLateAnswer } from '../../nodes/shared/transport/errors';

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

	test('a row with a long string (quotes and backslashes) across many chunks', () => {
		const text = 'ab"\\'.repeat(262_144);
		expect(split(JSON.stringify([{ text }, { b: 1 }]), 65_536)).toEqual({ rows: [{ text }, { b: 1 }], complete: true });
	});
});

type Settings = Pick<OutputSettings, 'fileFormat' | 'failedRows'>;

const node = { name: 'Scraper' } as INode;

interface ReadOptions {
	size?: number;
	/** Ends the body with this error after all of it was sent. */
	failWith?: Error;
	/** Hands the reader a Readable factory, as the transport does for a Node stream body. */
	readable?: boolean;
	/** The store fails after reading this many bytes. */
	storeFailsAfter?: number;
}

/** Whether the last body given to the reader was closed (its generator returned or ended). */
const lastBody = { closed: false };

/** Reads a 200 answer with `body` (cut in chunks) through the file reader, as fetchDataset would. */
async function readFile(body: string, settings: Settings, { size = 7, failWith, readable, storeFailsAfter }: ReadOptions = {}) {
	const files: string[] = [];
	const sources: string[] = [];
	const ctx = {
		getNode: () => node,
		helpers: {
			prepareBinaryData: async (data: Buffer | Readable, fileName?: string, mimeType?: string) => {
				sources.push(Buffer.isBuffer(data) ? 'buffer' : 'stream');
				const chunks: Buffer[] = [];
				if (Buffer.isBuffer(data)) chunks.push(data);
				else {
					for await (const chunk of data as AsyncIterable<Buffer>) {
						chunks.push(chunk);
						if (storeFailsAfter !== undefined && Buffer.concat(chunks).length > storeFailsAfter) throw new Error('disk full');
					}
				}
				files.push(Buffer.concat(chunks).toString('utf8'));
				return { data: '', fileName, mimeType } as IBinaryData;
			},
		},
	};
	const bytes = Buffer.from(body);
	lastBody.closed = false;
	const stream = (async function* () {
		try {
			for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
			if (failWith) throw failWith;
		} finally {
			lastBody.closed = true;
		}
	})();
	const toReadable: ReadableFactory | undefined = readable ? (source) => Readable.from(source) : undefined;
	const reader = readerFor(ctx as never, { mode: 'file', rowLimit: 0, ...settings } as OutputSettings, ['j_1']);
	const state = await reader.read({ statusCode: 200, stream, toReadable });
	return { state, file: files[0], sources };
}

const failedRow = { input: { url: 'https://dead' }, error: 'Page not found', error_code: 'dead_page' };

describe('writing a dataset into a file as it downloads', () => {
	test('JSON stays JSON, byte for byte per row; a failed row goes to the Failed output', async () => {
		const body = JSON.stringify([rows[0], failedRow, rows[1]]);
		const { state, file } = await readFile(body, { fileFormat: 'json', failedRows: 'separate' });
		expect(JSON.parse(file)).toEqual([rows[0], rows[1]]);
		expect(state).toMatchObject({ kind: 'ready', file: { rows: 2, total: 3, failedCount: 1, failed: [failedRow] } });
	});

	test('a pretty-printed array becomes NDJSON, one row per line; failed rows can stay', async () => {
		const { state, file } = await readFile(JSON.stringify([...rows, failedRow], null, 2), { fileFormat: 'ndjson', failedRows: 'main' });
		expect(file.split('\n')).toHaveLength(5);
		expect(file.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([...rows, failedRow]);
		expect(state).toMatchObject({ file: { rows: 4, total: 4, failedCount: 1, failed: [] } });
	});

	test('an NDJSON body becomes a JSON array; dropped failed rows are only counted', async () => {
		const body = [failedRow, ...rows].map((row) => JSON.stringify(row)).join('\n');
		const { state, file } = await readFile(body, { fileFormat: 'json', failedRows: 'drop' });
		expect(JSON.parse(file)).toEqual(rows);
		expect(state).toMatchObject({ file: { rows: 3, total: 4, failedCount: 1, failed: [] } });
	});

	test('CSV: columns from the first rows; a field first seen later is reported, not silently lost', async () => {
		const many = Array.from({ length: CSV_HEADER_ROWS + 2 }, (_, index) => ({ id: index, name: `n${index}` }));
		const body = JSON.stringify([...many, { id: 'late', extra: 'x' }]);
		const { state, file } = await readFile(body, { fileFormat: 'csv', failedRows: 'separate' }, { size: 4096 });
		const lines = file.trim().split('\n');
		expect(lines[0]).toBe('id,name,input,error,error_code,warning,warning_code');
		expect(lines[1]).toBe('0,n0,,,,,');
		expect(lines).toHaveLength(CSV_HEADER_ROWS + 4);
		expect(state).toMatchObject({ file: { columnsLeftOut: ['extra'] } });
	});

	test('a small CSV has exactly the fields of its rows', async () => {
		const { file } = await readFile(JSON.stringify([{ a: 1 }, { b: 'x,y' }]), { fileFormat: 'csv', failedRows: 'main' });
		expect(file).toBe('a,b\n1,\n,"x,y"\n');
	});

	test('with a Readable factory (a Node stream body) the store reads a stream, and the body is closed', async () => {
		const { file, sources } = await readFile(JSON.stringify(rows), { fileFormat: 'json', failedRows: 'main' }, { readable: true });
		expect(sources).toEqual(['stream']);
		expect(JSON.parse(file)).toEqual(rows);
		expect(lastBody.closed).toBe(true);
	});

	test('answers that end before a row is certain are read by the row parser: no file', async () => {
		const settings: Settings = { fileFormat: 'json', failedRows: 'main' };
		const pending = await readFile('{"status":"building","message":"try again in 5s"}', settings);
		expect(pending).toMatchObject({ state: { kind: 'pending', status: 'building', retryInSeconds: 5 }, file: undefined });
		expect((await readFile('{"status":"building"}\n', settings)).state).toMatchObject({ kind: 'pending' });
		expect((await readFile('', settings)).state).toMatchObject({ kind: 'pending' });
		expect((await readFile('null', settings, { size: 2 })).state).toMatchObject({ kind: 'pending' });
		expect(await readFile('[]', settings)).toMatchObject({ state: { kind: 'ready', rows: [] }, file: undefined });
		expect((await readFile('<html>', settings)).state).toMatchObject({ kind: 'invalid' });
	});

	test('one row that is no status object is a file, with or without its newline, pretty-printed or not', async () => {
		const settings: Settings = { fileFormat: 'json', failedRows: 'main' };
		for (const body of [JSON.stringify(rows[1]), `${JSON.stringify(rows[1])}\n`, JSON.stringify(rows[1], null, 2)]) {
			const { state, file } = await readFile(body, settings);
			expect(state).toMatchObject({ kind: 'ready', file: { rows: 1 } });
			expect(JSON.parse(file)).toEqual([rows[1]]);
		}
	});

	test('a torn body is invalid, so fetchDataset reads it again', async () => {
		const settings: Settings = { fileFormat: 'ndjson', failedRows: 'main' };
		const invalid = async (body: string, options?: ReadOptions) => {
			const { state } = await readFile(body, settings, options);
			return { kind: state.kind, late: (state as { late?: unknown }).late };
		};
		expect(await invalid(JSON.stringify(rows).slice(0, -3))).toEqual({ kind: 'invalid', late: undefined });
		expect(await invalid(`${JSON.stringify(rows[0])}\n${JSON.stringify(rows[1]).slice(0, 10)}`)).toEqual({ kind: 'invalid', late: undefined });
		expect(await invalid(JSON.stringify(rows), { failWith: new Error('ECONNRESET'), readable: true })).toEqual({ kind: 'invalid', late: undefined });
	});

	test('a row that has to be parsed and is not JSON makes the body unreadable, as the row parser finds it', async () => {
		const body = `[${JSON.stringify(rows[0])},{"error":tru},${JSON.stringify(rows[1])}]`;
		for (const fileFormat of ['json', 'csv'] as const) {
			const { state } = await readFile(body, { fileFormat, failedRows: 'main' });
			expect(state).toEqual({ kind: 'invalid', reason: 'the body is neither a JSON array nor NDJSON' });
		}
	});

	test("a download ended by the node's Timeout is invalid with the deadline's error (never fetched again)", async () => {
		const late = mapLateAnswer(node, { snapshotId: 'j_1' });
		for (const readable of [false, true]) {
			const { state } = await readFile(JSON.stringify(rows), { fileFormat: 'json', failedRows: 'main' }, { failWith: late, readable });
			expect(state).toMatchObject({ kind: 'invalid' });
			expect((state as { late?: unknown }).late).toBeInstanceOf(LateAnswerError);
			expect(lastBody.closed).toBe(true);
		}
		// Also while the ready check reads its first row.
		const early = await readFile('[{"a":', { fileFormat: 'json', failedRows: 'main' }, { failWith: late });
		expect((early.state as { late?: unknown }).late).toBeInstanceOf(LateAnswerError);
	});

	test('a store that fails is an error of the node, and the download is closed', async () => {
		const body = JSON.stringify(Array.from({ length: 50 }, () => rows[1]));
		const failing = readFile(body, { fileFormat: 'json', failedRows: 'main' }, { readable: true, storeFailsAfter: 100 });
		await expect(failing).rejects.toBeInstanceOf(NodeOperationError);
		await expect(failing).rejects.toMatchObject({
			message: 'Could not output the rows of snapshot j_1: disk full',
			description: 'The rows are at Bright Data. Collect them with Get Dataset and snapshot j_1.',
		});
		// The store's stream is destroyed, which ends the file's generator and so the download.
		await new Promise((resolve) => setImmediate(resolve));
		expect(lastBody.closed).toBe(true);
	});
});
