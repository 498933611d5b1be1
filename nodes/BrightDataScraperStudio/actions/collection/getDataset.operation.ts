import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { optionsCollection } from '../../descriptions/options';
import { outputFields, rowOptions } from '../../descriptions/output';
import { snapshotIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../helpers/inputs';
import { forEachItem } from '../../helpers/items';
import { readOutputSettings } from '../../helpers/options';
import { datasetFileReader } from '../../helpers/datasetFile';
import { datasetFileName, shapeOutput, shapeStreamedFile } from '../../helpers/output';
import { fetchDataset, rowReader } from '../../helpers/polling';

const properties: INodeProperties[] = [
	snapshotIdField,
	...outputFields,
	optionsCollection(rowOptions('main')),
];

export const description = updateDisplayOptions({ show: { resource: ['collection'], operation: ['getDataset'] } }, properties);

/** For each item: the snapshot's rows when ready, else one item with its status. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const failed: INodeExecutionData[] = [];
	const emptySnapshots: string[] = [];
	const separateFailed = this.getNodeParameter('options.failedRows', 0, 'main') === 'separate';
	const main = await forEachItem(this, async (itemIndex) => {
		const settings = readOutputSettings(this, itemIndex, 'main');
		const snapshotId = readSnapshotId(this, itemIndex);
		// A File without a Row Limit is written while it downloads (helpers/datasetFile.ts).
		const fileName = datasetFileName([snapshotId], settings.fileFormat);
		const reader = settings.mode === 'file' && !settings.rowLimit ? datasetFileReader(this, settings, fileName) : undefined;
		const state = reader ? await fetchDataset(this, snapshotId, itemIndex, reader) : await fetchDataset(this, snapshotId, itemIndex, rowReader);
		const pairedItem = { item: itemIndex };
		if (state.kind === 'pending') {
			return [{ json: { snapshot_id: snapshotId, ready: false, status: state.status, message: state.message ?? null }, pairedItem }];
		}
		if ('binary' in state) {
			if (!state.total) emptySnapshots.push(snapshotId);
			const shaped = shapeStreamedFile(state, settings, { snapshotId, inputs: [{ itemIndex, input: {} }] });
			failed.push(...shaped.failed);
			return shaped.main;
		}
		if (!state.rows.length) emptySnapshots.push(snapshotId);
		const rows = state.rows.map((row) => ({ row, pairedItem, order: itemIndex }));
		const shaped = await shapeOutput(this, rows, settings, { snapshotIds: [snapshotId], pairedItem: [pairedItem] });
		failed.push(...shaped.failed);
		return shaped.main;
	});
	if (emptySnapshots.length) {
		this.addExecutionHints({
			message: `Snapshot ${emptySnapshots.join(', ')} has no rows: the job produced none, or the snapshot expired (Bright Data keeps snapshots for 16 days).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return separateFailed ? [main, failed] : [main];
}
