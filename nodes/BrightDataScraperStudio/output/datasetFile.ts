import type { IExecuteFunctions } from 'n8n-workflow';

import { isFailedRow } from '../../shared/rows';
import {
	brokenDownload,
	NOT_A_DATASET,
	readDatasetStream,
	type DatasetState,
} from '../../shared/snapshot/dataset';
import {
	rowReader,
	type DatasetAnswer,
	type DatasetReader,
	type ReadyRows,
} from '../../shared/snapshot/polling';
import { RowSplitter, toBuffer } from '../../shared/snapshot/rowSplitter';
import { errorAfterTrigger } from '../jobs/trigger';
import type { OutputSettings } from '../options/output';
import { FileRows, isStatusOnly, type StreamedFile } from './fileRows';
import { datasetFileName, FILE_TYPES, type BinaryContext } from './shape';

/** What writing a file needs: n8n's binary data store (an execution and a resume webhook both have it) and the node, for errors. */
export type FileContext = BinaryContext & Pick<IExecuteFunctions, 'getNode'>;

/** What the File output's reader gives: the file, or the rows of a short answer (shaped in memory as before). */
export type FileOrRows = { kind: 'ready'; file: StreamedFile } | ReadyRows;

type NotReady = Exclude<DatasetState, { kind: 'ready' }>;

/** Rows of a ready dataset, and how many of them are failed inputs. */
export const countsOf = (ready: FileOrRows): { rows: number; failed: number } =>
	'file' in ready
		? { rows: ready.file.total, failed: ready.file.failedCount }
		: { rows: ready.rows.length, failed: ready.rows.filter(isFailedRow).length };

/** The chunks already read, then the rest of the body. */
async function* replay(
	read: Buffer[],
	rest: AsyncIterator<Uint8Array> | undefined,
): AsyncGenerator<Uint8Array> {
	yield* read;
	if (rest)
		for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of source) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/**
 * Reads a 200 answer into a file. The ready check reads only until the first row is certainly a
 * row (an array element, an NDJSON line that is no status object, or a second line); an answer
 * that ends before that (pending, empty, one row) is left to the row parser, as any answer is.
 */
async function readIntoFile(
	ctx: FileContext,
	settings: Pick<OutputSettings, 'fileFormat' | 'failedRows'>,
	snapshotId: string,
	{ statusCode, stream, toReadable }: DatasetAnswer,
): Promise<FileOrRows | NotReady> {
	const rows = new FileRows(settings.fileFormat, settings.failedRows);
	const cut: Buffer[] = [];
	// Rows cut during the ready check wait in `cut`; after it, they go straight into the file.
	let sink: (row: Buffer) => void = (row) => cut.push(row);
	const splitter = new RowSplitter((row) => sink(row));
	const isData = () =>
		cut.length > 1 || (cut.length === 1 && (splitter.isArray || !isStatusOnly(cut[0])));

	const iterator = stream[Symbol.asyncIterator]();
	const read: Buffer[] = [];
	let ended = false;
	try {
		while (!isData() && !splitter.unusual) {
			const next = await iterator.next();
			ended = next.done === true;
			if (ended) break;
			const chunk = toBuffer(next.value);
			read.push(chunk);
			splitter.push(chunk);
		}
	} catch (error) {
		return brokenDownload(error);
	}
	if (!isData())
		return await readDatasetStream(statusCode, replay(read, ended ? undefined : iterator));

	read.length = 0;
	for (const row of cut) rows.add(row);
	sink = (row) => rows.add(row);
	/** Why the file was abandoned: the download broke off (or the node's Timeout ended it), or it is no dataset. */
	let failure: Extract<DatasetState, { kind: 'invalid' }> | undefined;
	const next = async (): Promise<IteratorResult<Uint8Array>> => {
		try {
			return await iterator.next();
		} catch (error) {
			failure = brokenDownload(error);
			return { done: true, value: undefined };
		}
	};
	async function* fileBytes(): AsyncGenerator<Buffer> {
		try {
			const head = rows.take();
			if (head) yield head;
			for (let step = await next(); !step.done && !rows.unreadable; step = await next()) {
				splitter.push(toBuffer(step.value));
				const bytes = rows.take();
				if (bytes) yield bytes;
			}
			splitter.end();
			if (!failure && (rows.unreadable || !splitter.complete)) failure = NOT_A_DATASET;
			if (failure) throw new Error('The dataset file was abandoned');
			const tail = rows.take(true);
			if (tail) yield tail;
		} finally {
			// Also when the store stops reading early: the connection is freed.
			await iterator.return?.();
		}
	}

	try {
		const source = toReadable ? toReadable(fileBytes()) : await collect(fileBytes());
		const fileName = datasetFileName([snapshotId], settings.fileFormat);
		const binary = await ctx.helpers.prepareBinaryData(
			source,
			fileName,
			FILE_TYPES[settings.fileFormat].mimeType,
		);
		return { kind: 'ready', file: rows.result(binary) };
	} catch (error) {
		// A torn download is fetched again into a new file; one ended by the Timeout is not.
		if (failure) return failure;
		// A row CSV cannot write, a full disk: the rows are still at Bright Data, under this snapshot.
		throw errorAfterTrigger(ctx, error, [snapshotId]);
	}
}

/**
 * How snapshots are read for these output settings. One snapshot's File output without a Row Limit flows into n8n's
 * binary data while it downloads, rows cut without parsing (rowSplitter.ts), so the body is never held whole.
 * Anything else needs the rows: a Row Limit keeps the first rows in input order, and several jobs' rows are sorted
 * into input order together.
 */
export function readerFor(
	ctx: FileContext,
	settings: OutputSettings,
	snapshotIds: string[],
): DatasetReader<FileOrRows> {
	if (settings.mode !== 'file' || settings.rowLimit || snapshotIds.length !== 1) return rowReader;
	return {
		read: async (answer) =>
			answer.statusCode === 202
				? await readDatasetStream(answer.statusCode, answer.stream)
				: await readIntoFile(ctx, settings, snapshotIds[0], answer),
		isEmpty: (ready) => 'rows' in ready && !ready.rows.length,
	};
}
