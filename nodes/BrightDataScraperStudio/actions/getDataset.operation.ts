import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { outputFields, rowOptions } from '../descriptions/output';
import { errorItems } from '../helpers/items';
import { readOutputSettings } from '../helpers/options';
import { shapeOutput } from '../helpers/output';
import { fetchDataset } from '../helpers/polling';

const properties: INodeProperties[] = [
	{
		displayName: 'Snapshot ID',
		name: 'snapshotId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. j_m9im5n7v82p2y35la',
		description: 'The snapshot (collection) ID that the Trigger operation returned. Bright Data keeps snapshots for 16 days.',
		hint: 'After a Trigger node, use the expression {{ $json.snapshot_id }}',
	},
	...outputFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: rowOptions('main'),
	},
];

export const description = updateDisplayOptions({ show: { operation: ['getDataset'] } }, properties);

function readSnapshotId(ctx: IExecuteFunctions, itemIndex: number): string {
	const raw = ctx.getNodeParameter('snapshotId', itemIndex, '');
	const snapshotId = typeof raw === 'string' ? raw.trim() : '';
	if (!snapshotId) {
		throw new NodeOperationError(ctx.getNode(), 'No snapshot ID given', {
			itemIndex,
			description: 'Use the snapshot_id that the Trigger operation returned, e.g. {{ $json.snapshot_id }}.',
		});
	}
	return snapshotId;
}

/** For each item: the snapshot's rows when ready, else one item with its status. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const main: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const emptySnapshots: string[] = [];
	const separateFailed = this.getNodeParameter('options.failedRows', 0, 'main') === 'separate';
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const settings = readOutputSettings(this, itemIndex, 'main');
			const snapshotId = readSnapshotId(this, itemIndex);
			const state = await fetchDataset(this, snapshotId, itemIndex);
			if (state.kind === 'pending') {
				main.push({
					json: { snapshot_id: snapshotId, ready: false, status: state.status, message: state.message ?? null },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (!state.rows.length) emptySnapshots.push(snapshotId);
			const pairedItem = { item: itemIndex };
			const rows = state.rows.map((row) => ({ row, pairedItem, order: itemIndex }));
			const shaped = await shapeOutput(this, rows, settings, { snapshotIds: [snapshotId], pairedItem: [pairedItem] });
			main.push(...shaped.main);
			failed.push(...shaped.failed);
		} catch (error) {
			main.push(...errorItems(this, error as Error, [itemIndex]));
		}
	}
	if (emptySnapshots.length) {
		this.addExecutionHints({
			message: `Snapshot ${emptySnapshots.join(', ')} has no rows: the job produced none, or the snapshot expired (Bright Data keeps snapshots for 16 days).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return separateFailed ? [main, failed] : [main];
}
