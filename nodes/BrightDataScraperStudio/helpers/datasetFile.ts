import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

import { readDatasetResponse, readDatasetStream, type DatasetState } from './dataset';
import { columnsOf, csvHeader, csvLine } from './csv';
import type { FailedRowsPolicy, OutputSettings } from './options';
import { isFailedRow } from './output';
import type { DatasetReader } from './polling';
import { RowSplitter } from './rowSplitter';
import type { Row } from './types';

/** The File output's formats: content type, and how rows are put together. */
export const FILE_TYPES = {
	json: { mimeType: 'application/json' },
	ndjson: { mimeType: 'application/x-ndjson' },
	csv: { mimeType: 'text/csv' },
} as const;

/** CSV columns come from this many first rows (and the fields every dataset row may carry). */
export const CSV_HEADER_ROWS = 1000;
const ROW_FIELDS = ['input', 'error', 'error_code', 'warning', 'warning_code'];
const STATUS_KEYS = new Set(['status', 'message', 'pending']);

/** A dataset written to n8n's binary data while it downloaded. */
export interface DatasetFile {
	kind: 'ready';
	binary: IBinaryData;
	/** Rows in the file. */
	rows: number;
	/** All rows of the dataset, failed ones included. */
	total: number;
	failedCount: number;
	/** The failed rows, parsed, when they go to the "Failed" output. */
	failed: Row[];
	/** CSV: fields first seen after the header was written (their values are not in the file). */
	columnsLeftOut: string[];
}

const parseRow = (bytes: Buffer): Row => JSON.parse(bytes.toString('utf8')) as Row;

/**
 * A row may have failed only if its text mentions "error (or hides a key behind a \u escape):
 * only those rows are parsed to check, the others go to the file as they are.
 */
const mayHaveFailed = (bytes: Buffer): boolean => bytes.includes('"error') || bytes.includes('\\u');

/** Turns row bytes into file bytes in one format, sorting out failed rows by the policy. */
class FileRows {
	rows = 0;
	total = 0;
	failedCount = 0;
	readonly failed: Row[] = [];
	readonly columnsLeftOut = new Set<string>();
	private out: Array<Buffer | string> = [];
	private columns: string[] | undefined;
	private headerRows: Row[] = [];

	constructor(
		private readonly format: OutputSettings['fileFormat'],
		private readonly policy: FailedRowsPolicy,
	) {}

	add(bytes: Buffer): void {
		this.total++;
		let row: Row | undefined;
		if (this.format === 'csv' || mayHaveFailed(bytes)) {
			row = parseRow(bytes);
			if (isFailedRow(row)) {
				this.failedCount++;
				if (this.policy === 'separate') this.failed.push(row);
				if (this.policy !== 'main') return;
			}
		}
		this.rows++;
		if (this.format === 'json') {
			this.out.push(this.rows === 1 ? '[' : ',', bytes);
		} else if (this.format === 'ndjson') {
			// A pretty-printed array element spans lines: written again on one line.
			this.out.push(bytes.includes(0x0a) ? JSON.stringify(row ?? parseRow(bytes)) : bytes, '\n');
		} else {
			this.addCsv(row!);
		}
	}

	private addCsv(row: Row): void {
		if (!this.columns) {
			this.headerRows.push(row);
			if (this.headerRows.length >= CSV_HEADER_ROWS) this.writeHeader(true);
			return;
		}
		for (const key of Object.keys(row)) if (!this.columns.includes(key)) this.columnsLeftOut.add(key);
		this.out.push(csvLine(row, this.columns));
	}

	private writeHeader(more: boolean): void {
		const seen = columnsOf(this.headerRows);
		// With more rows to come, the fields any dataset row may carry get a column too.
		this.columns = more ? [...seen, ...ROW_FIELDS.filter((field) => !seen.includes(field))] : seen;
		this.out.push(csvHeader(this.columns), ...this.headerRows.map((row) => csvLine(row, this.columns!)));
		this.headerRows = [];
	}

	/** The file bytes produced since the last call. */
	take(final = false): Buffer | undefined {
		if (final) {
			if (this.format === 'json') this.out.push(this.rows ? ']' : '[]');
			if (this.format === 'csv' && !this.columns) this.writeHeader(false);
		}
		if (!this.out.length) return undefined;
		const bytes = Buffer.concat(this.out.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)));
		this.out = [];
		return bytes;
	}
}

type Prepare = IExecuteFunctions['helpers']['prepareBinaryData'];
type BinarySource = Parameters<Prepare>[0];

/**
 * A Node Readable for n8n's binary store, made without importing node:stream (community nodes
 * may not): the response body is an http.IncomingMessage, whose class inherits Readable.from.
 * Undefined when the host handed over something else; the caller then passes a Buffer.
 */
function readableFactory(body: AsyncIterable<Uint8Array>): ((source: AsyncIterable<Buffer>) => BinarySource) | undefined {
	const from = (body as { constructor?: { from?: unknown }; pipe?: unknown }).constructor?.from;
	if (typeof from !== 'function' || typeof (body as { pipe?: unknown }).pipe !== 'function') return undefined;
	return (source) => (from as (iterable: AsyncIterable<Buffer>) => BinarySource)(source);
}

const toBuffer = (chunk: Uint8Array): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

/**
 * A dataset reader for pollUntilReady and fetchDataset that writes a ready dataset straight into
 * n8n's binary data while it downloads: the ready check reads only up to the first row, then the
 * same response flows on into the file, so the body is fetched once and never held whole.
 */
export function datasetFileReader(
	ctx: Pick<IExecuteFunctions, 'helpers' | 'getNode'>,
	settings: Pick<OutputSettings, 'fileFormat' | 'failedRows'>,
	fileName: string,
): DatasetReader<DatasetFile> {
	const read = async (statusCode: number, body: AsyncIterable<Uint8Array>): Promise<DatasetFile | Exclude<DatasetState, { kind: 'ready' }>> => {
		if (statusCode === 202) return (await readDatasetStream(statusCode, body)) as Exclude<DatasetState, { kind: 'ready' }>;
		const rows = new FileRows(settings.fileFormat, settings.failedRows);
		let first: Buffer | undefined;
		let held: Buffer | undefined; // the first row, until we know it is a row and not a status object
		let seen = 0;
		const release = () => {
			if (held) rows.add(held);
			held = undefined;
		};
		const splitter = new RowSplitter((bytes) => {
			seen++;
			if (seen === 1) {
				first = held = bytes;
				return;
			}
			release();
			rows.add(bytes);
		});
		const iterator = body[Symbol.asyncIterator]();
		const peeked: Buffer[] = [];
		// The ready check: read until the first row is certainly a row (an array element, a line
		// that is no status object, or a second line), or until a short body ends.
		const isData = () => seen > 1 || (seen === 1 && !isStatusOnly(first!));
		try {
			while (!isData()) {
				const next = await iterator.next();
				if (next.done) break;
				const chunk = toBuffer(next.value);
				peeked.push(chunk);
				splitter.push(chunk);
				if (splitter.unusual) break;
			}
		} catch {
			return { kind: 'invalid', reason: 'the download broke off' };
		}
		if (!isData()) {
			// A short answer: pending, empty, one status object, or not a dataset. The row parser decides.
			const rest = await drain(iterator);
			if (rest === undefined) return { kind: 'invalid', reason: 'the download broke off' };
			const state = readDatasetResponse({ statusCode, body: Buffer.concat([...peeked, ...rest]).toString('utf8') });
			if (state.kind !== 'ready') return state;
			for (const row of state.rows) rows.add(Buffer.from(JSON.stringify(row)));
			const bytes = rows.take(true) ?? Buffer.alloc(0);
			return fileResult(rows, await ctx.helpers.prepareBinaryData(bytes, fileName, FILE_TYPES[settings.fileFormat].mimeType));
		}
		release();
		peeked.length = 0;

		let torn = false;
		const nextChunk = async () => {
			let received = false;
			try {
				const next = await iterator.next();
				received = true;
				return next;
			} finally {
				if (!received) torn = true;
			}
		};
		async function* fileBytes(): AsyncGenerator<Buffer> {
			const head = rows.take();
			if (head) yield head;
			for (let next = await nextChunk(); !next.done; next = await nextChunk()) {
				splitter.push(toBuffer(next.value));
				const bytes = rows.take();
				if (bytes) yield bytes;
			}
			splitter.end();
			torn = !splitter.complete;
			if (torn) throw new Error('The dataset ended in the middle');
			const tail = rows.take(true);
			if (tail) yield tail;
		}
		const makeReadable = readableFactory(body);
		const mimeType = FILE_TYPES[settings.fileFormat].mimeType;
		try {
			const source = makeReadable ? makeReadable(fileBytes()) : await collect(fileBytes());
			return fileResult(rows, await ctx.helpers.prepareBinaryData(source, fileName, mimeType));
		} catch (error) {
			// A torn download: fetchDataset reads the dataset again into a new file.
			if (torn) return { kind: 'invalid', reason: 'the download broke off' };
			throw new NodeOperationError(ctx.getNode(), error as Error, { description: 'The dataset file could not be stored.' });
		}
	};
	return { read, isEmpty: (file) => file.total === 0 };
}

function isStatusOnly(bytes: Buffer): boolean {
	try {
		const value = parseRow(bytes);
		return Object.keys(value).every((key) => STATUS_KEYS.has(key));
	} catch {
		return false;
	}
}

async function drain(iterator: AsyncIterator<Uint8Array>): Promise<Buffer[] | undefined> {
	const chunks: Buffer[] = [];
	try {
		for (let next = await iterator.next(); !next.done; next = await iterator.next()) chunks.push(toBuffer(next.value));
		return chunks;
	} catch {
		return undefined;
	}
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of source) chunks.push(chunk);
	return Buffer.concat(chunks);
}

function fileResult(rows: FileRows, binary: IBinaryData): DatasetFile {
	return {
		kind: 'ready',
		binary,
		rows: rows.rows,
		total: rows.total,
		failedCount: rows.failedCount,
		failed: rows.failed,
		columnsLeftOut: [...rows.columnsLeftOut],
	};
}
