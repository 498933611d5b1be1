import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isFailedRow, type Row } from '../../shared/rows';
import { errorAfterTrigger, snapshotIdsOf } from '../jobs/trigger';
import type { PlannedInput } from '../jobs/types';
import type { FailedRowsPolicy, OutputSettings } from '../options/output';
import { toCsv } from './csv';
import type { FileContext, FileOrRows } from './datasetFile';
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

/** A ready snapshot, the planned inputs its rows answer, and what its reader gave (readerFor): rows or a streamed file. */
export interface ReadyJob {
	job: { snapshotId: string; inputs: PlannedInput[] };
	dataset: FileOrRows;
}

export interface ShapedOutput {
	main: INodeExecutionData[];
	failed: INodeExecutionData[];
	failedCount: number;
	rowCount: number;
}

const asItem = ({ row, pairedItem }: PairedRow): INodeExecutionData => ({ json: row, pairedItem });

// Rows into the main and "Failed" outputs, the row limit applied: as items, one item with all rows, or a file. No
// ready job gives no item: an empty file or "all rows" item would look like a finished job without rows.
export async function shapeReadyJobs(
	ctx: BinaryContext,
	ready: ReadyJob[],
	settings: OutputSettings,
): Promise<ShapedOutput> {
	if (!ready.length) return { main: [], failed: [], failedCount: 0, rowCount: 0 };
	const ids = ready.map(({ job }) => job.snapshotId);
	// Jobs may answer the same items (the resume webhook pairs every snapshot with all of them): each item once.
	const pairedItem = itemsOf(ready.flatMap(({ job }) => job.inputs)).map((item) => ({ item }));
	const summary = (count: number, json: IDataObject, binary?: IBinaryData) => ({
		json: {
			...(ids.length === 1 ? { snapshot_id: ids[0] } : { snapshot_ids: ids }),
			count,
			...json,
		},
		...(binary ? { binary: { [settings.binaryPropertyName]: binary } } : {}),
		pairedItem,
	});
	const format = settings.fileFormat;
	const [{ job, dataset }] = ready;
	// Only a run of one job streams its file (readerFor), so a file never comes with other jobs' rows.
	if ('file' in dataset) {
		const { file } = dataset;
		const leftOut = file.columnsLeftOut.length ? { columns_left_out: file.columnsLeftOut } : {};
		return {
			main: [summary(file.rows, { format, ...leftOut }, file.binary)],
			failed: pairRows(file.failed, job.inputs).map(asItem),
			failedCount: file.failedCount,
			rowCount: file.total,
		};
	}
	const rows = ready
		.flatMap((each) => ('rows' in each.dataset ? pairRows(each.dataset.rows, each.job.inputs) : []))
		.sort((a, b) => a.order - b.order);
	const failedRows = rows.filter(({ row }) => isFailedRow(row));
	const kept = settings.failedRows === 'main' ? rows : rows.filter(({ row }) => !isFailedRow(row));
	const limited = settings.rowLimit > 0 ? kept.slice(0, settings.rowLimit) : kept;
	const counts = { failedCount: failedRows.length, rowCount: rows.length };
	const failed = settings.failedRows === 'separate' ? failedRows.map(asItem) : [];
	if (settings.mode === 'rows') return { main: limited.map(asItem), failed, ...counts };
	const plain = limited.map(({ row }) => row);
	if (settings.mode === 'allRows')
		return { main: [summary(plain.length, { rows: plain })], failed, ...counts };
	const binary = await ctx.helpers.prepareBinaryData(
		Buffer.from(FILE_TYPES[format].serialize(plain)),
		datasetFileName(ids, format),
		FILE_TYPES[format].mimeType,
	);
	return { main: [summary(plain.length, { format }, binary)], failed, ...counts };
}

/** The outputs of a run's ready jobs, `before` first; a failure names their snapshots: the rows are still at Bright Data. */
export async function readyJobOutputs(
	ctx: FileContext,
	ready: ReadyJob[],
	settings: OutputSettings,
	before: INodeExecutionData[] = [],
): Promise<ShapedOutput & { outputs: INodeExecutionData[][] }> {
	try {
		const shaped = await shapeReadyJobs(ctx, ready, settings);
		const main = [...before, ...shaped.main];
		return { ...shaped, outputs: nodeOutputs(settings.failedRows, main, shaped.failed) };
	} catch (error) {
		throw errorAfterTrigger(ctx, error, snapshotIdsOf(ready.map(({ job }) => job)));
	}
}
