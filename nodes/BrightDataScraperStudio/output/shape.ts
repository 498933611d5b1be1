import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';

import { isFailedRow, type Row } from '../../shared/rows';
import type { TriggeredJob } from '../jobs/types';
import type { FailedRowsPolicy, OutputSettings } from '../options/output';
import { toCsv } from './csv';
import type { FileOrRows } from './datasetFile';
import type { StreamedFile } from './fileRows';
import { itemsOf } from './items';
import { pairRows, type PairedRow } from './pairing';

/** The node's outputs: Rows and Failed when failed inputs go to their own output, else one. */
export const nodeOutputs = (
	failedRows: FailedRowsPolicy,
	main: INodeExecutionData[],
	failed: INodeExecutionData[],
): INodeExecutionData[][] => (failedRows === 'separate' ? [main, failed] : [main]);

/** n8n's binary data store, which the File output is written to. */
export type BinaryContext = { helpers: Pick<IExecuteFunctions['helpers'], 'prepareBinaryData'> };

interface ShapedOutput {
	main: INodeExecutionData[];
	failed: INodeExecutionData[];
	failedCount: number;
}

/** The File output's formats: content type, and how rows in memory are written. */
export const FILE_TYPES = {
	json: { mimeType: 'application/json', serialize: (rows: Row[]) => JSON.stringify(rows) },
	ndjson: {
		mimeType: 'application/x-ndjson',
		serialize: (rows: Row[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join(''),
	},
	csv: { mimeType: 'text/csv', serialize: toCsv },
} as const;

export const datasetFileName = (
	snapshotIds: string[],
	format: OutputSettings['fileFormat'],
): string => `${snapshotIds.join('_') || 'dataset'}.${format}`;

function summary(snapshotIds: string[], count: number): IDataObject {
	return snapshotIds.length === 1
		? { snapshot_id: snapshotIds[0], count }
		: { snapshot_ids: snapshotIds, count };
}

/** Rows into the main and "Failed" outputs, the row limit applied, as items, one item with all rows, or a file. */
export async function shapeOutput(
	ctx: BinaryContext,
	rows: PairedRow[],
	settings: OutputSettings,
	{ snapshotIds, pairedItem }: { snapshotIds: string[]; pairedItem: IPairedItemData[] },
): Promise<ShapedOutput> {
	const failedRows = rows.filter(({ row }) => isFailedRow(row));
	const kept = settings.failedRows === 'main' ? rows : rows.filter(({ row }) => !isFailedRow(row));
	const limited = settings.rowLimit > 0 ? kept.slice(0, settings.rowLimit) : kept;
	const failed =
		settings.failedRows === 'separate'
			? failedRows.map(({ row, pairedItem: item }) => ({ json: row, pairedItem: item }))
			: [];

	if (settings.mode === 'rows') {
		const main = limited.map(({ row, pairedItem: item }) => ({ json: row, pairedItem: item }));
		return { main, failed, failedCount: failedRows.length };
	}
	const plainRows = limited.map(({ row }) => row);
	if (settings.mode === 'allRows') {
		const main = [
			{ json: { ...summary(snapshotIds, plainRows.length), rows: plainRows }, pairedItem },
		];
		return { main, failed, failedCount: failedRows.length };
	}
	const { mimeType, serialize } = FILE_TYPES[settings.fileFormat];
	const fileName = datasetFileName(snapshotIds, settings.fileFormat);
	const binary = await ctx.helpers.prepareBinaryData(
		Buffer.from(serialize(plainRows)),
		fileName,
		mimeType,
	);
	const main = [
		{
			json: { ...summary(snapshotIds, plainRows.length), format: settings.fileFormat },
			binary: { [settings.binaryPropertyName]: binary },
			pairedItem,
		},
	];
	return { main, failed, failedCount: failedRows.length };
}

/** A job whose rows are collected: its snapshot and the planned inputs its rows answer. */
export type CollectedJob = Pick<TriggeredJob, 'snapshotId' | 'inputs'>;

/** A ready job and what its reader gave (readerForJobs): its rows, or its streamed file. */
export interface ReadyJob {
	job: CollectedJob;
	dataset: FileOrRows;
}

// No ready job gives no item: an empty file or "all rows" item would look like a finished job without rows.
async function shapeJobRows(
	ctx: BinaryContext,
	ready: Array<{ job: CollectedJob; rows: Row[] }>,
	settings: OutputSettings,
): Promise<ShapedOutput & { rowCount: number }> {
	if (!ready.length) return { main: [], failed: [], failedCount: 0, rowCount: 0 };
	const rows = ready
		.flatMap(({ job, rows: jobRows }) => pairRows(jobRows, job.inputs))
		.sort((a, b) => a.order - b.order);
	const shaped = await shapeOutput(ctx, rows, settings, {
		snapshotIds: ready.map(({ job }) => job.snapshotId),
		// Jobs may answer the same items (the resume webhook pairs every snapshot with all of them): each item once.
		pairedItem: itemsOf(ready.flatMap(({ job }) => job.inputs)).map((item) => ({ item })),
	});
	return { ...shaped, rowCount: rows.length };
}

/** The File output written as it downloaded (datasetFile.ts): shapeOutput's item, plus the failed rows the caller linked. */
export function shapeStreamedFile(
	file: StreamedFile,
	failed: PairedRow[],
	settings: OutputSettings,
	{ snapshotIds, pairedItem }: { snapshotIds: string[]; pairedItem: IPairedItemData[] },
): ShapedOutput & { rowCount: number } {
	const json: IDataObject = { ...summary(snapshotIds, file.rows), format: settings.fileFormat };
	if (file.columnsLeftOut.length) json.columns_left_out = file.columnsLeftOut;
	return {
		main: [{ json, binary: { [settings.binaryPropertyName]: file.binary }, pairedItem }],
		failed: failed.map(({ row, pairedItem: item }) => ({ json: row, pairedItem: item })),
		failedCount: file.failedCount,
		rowCount: file.total,
	};
}

/** Ready jobs shaped for the outputs: one job's streamed file as it was written, else all rows together. */
export async function shapeReadyJobs(
	ctx: BinaryContext,
	ready: ReadyJob[],
	settings: OutputSettings,
): Promise<ShapedOutput & { rowCount: number }> {
	const files = ready.flatMap(({ job, dataset }) =>
		'file' in dataset ? [{ job, file: dataset.file }] : [],
	);
	// Only a run of one job streams its file (readerForJobs), so a file never comes with other jobs' rows.
	if (files.length) {
		const [{ job, file }] = files;
		const pairedItem = itemsOf(job.inputs).map((item) => ({ item }));
		return shapeStreamedFile(file, pairRows(file.failed, job.inputs), settings, {
			snapshotIds: [job.snapshotId],
			pairedItem,
		});
	}
	const rows = ready.flatMap(({ job, dataset }) =>
		'rows' in dataset ? [{ job, rows: dataset.rows }] : [],
	);
	return await shapeJobRows(ctx, rows, settings);
}
