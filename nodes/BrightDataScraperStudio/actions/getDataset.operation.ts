import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { errorItems } from '../helpers/items';
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
	const output: INodeExecutionData[] = [];
	const emptySnapshots: string[] = [];
	for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
		try {
			const snapshotId = readSnapshotId(this, itemIndex);
			const state = await fetchDataset(this, snapshotId, itemIndex);
			if (state.kind === 'pending') {
				output.push({
					json: { snapshot_id: snapshotId, ready: false, status: state.status, message: state.message ?? null },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			if (!state.rows.length) emptySnapshots.push(snapshotId);
			for (const row of state.rows) output.push({ json: row, pairedItem: { item: itemIndex } });
		} catch (error) {
			output.push(...errorItems(this, error as Error, [itemIndex]));
		}
	}
	if (emptySnapshots.length) {
		this.addExecutionHints({
			message: `Snapshot ${emptySnapshots.join(', ')} has no rows: the job produced none, or the snapshot expired (Bright Data keeps snapshots for 16 days).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return [output];
}
