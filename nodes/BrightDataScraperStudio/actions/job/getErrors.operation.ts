import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { apiRequest, parseJsonBody } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { forEachItem } from '../../output/items';
import { readJobId } from '../../parameters/inputs';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['getErrors'] } }, [
	{
		...jobIdField,
		hint: 'Bright Data records these errors mainly for high-priority jobs; for other jobs the list is often empty',
	},
]);

/** GET /dca/jobs/{id}/hp_errors: one item per error (url, error, consumer). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readJobId(this, itemIndex);
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
