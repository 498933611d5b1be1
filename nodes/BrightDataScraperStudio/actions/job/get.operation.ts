import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { snapshotIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../helpers/inputs';
import { forEachItem } from '../../helpers/items';
import { normalizeJobLog } from '../../helpers/jobLog';
import { apiRequest, parseJsonBody } from '../../transport';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['get'] } }, [snapshotIdField]);

/** GET /dca/log/{id}: status, inputs, lines, fails, success rate and times of a job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readSnapshotId(this, itemIndex);
		const response = await apiRequest.call(this, {
			method: 'GET',
			path: `/dca/log/${encodeURIComponent(snapshotId)}`,
			retry: 'idempotent',
			subject: { snapshotId, itemIndex },
		});
		const log = parseJsonBody<IDataObject>(this, response, { snapshotId, itemIndex });
		return [{ json: normalizeJobLog(log), pairedItem: { item: itemIndex } }];
	});
	return [output];
}
