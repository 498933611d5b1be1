import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { snapshotIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../helpers/inputs';
import { forEachItem } from '../../helpers/items';
import { fetchJobLog } from '../../helpers/jobLog';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['get'] } }, [snapshotIdField]);

/** GET /dca/log/{id}: status, inputs, lines, fails, success rate and times of a job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readSnapshotId(this, itemIndex);
		return [{ json: await fetchJobLog(this, snapshotId, itemIndex), pairedItem: { item: itemIndex } }];
	});
	return [output];
}
