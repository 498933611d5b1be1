import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { snapshotIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../helpers/inputs';
import { forEachItem } from '../../helpers/items';
import { apiRequest, parseJsonBody } from '../../transport';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['getErrors'] } }, [
	{
		...snapshotIdField,
		hint: 'Bright Data documents these errors for high-priority jobs; for others the list may be empty',
	},
]);

/** GET /dca/jobs/{id}/hp_errors: one item per error (url, error, consumer). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readSnapshotId(this, itemIndex);
		const response = await apiRequest.call(this, {
			method: 'GET',
			path: `/dca/jobs/${encodeURIComponent(snapshotId)}/hp_errors`,
			retry: 'idempotent',
			subject: { snapshotId, itemIndex },
		});
		const { errors } = parseJsonBody<{ errors?: IDataObject[] }>(this, response, { snapshotId, itemIndex });
		return (Array.isArray(errors) ? errors : []).map((error) => ({
			json: { snapshot_id: snapshotId, ...error },
			pairedItem: { item: itemIndex },
		}));
	});
	return [output];
}
