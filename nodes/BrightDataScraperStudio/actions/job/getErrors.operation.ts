import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { apiRequest, parseJsonBody } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { forEachItem } from '../../output/items';
import { readSnapshotId } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get Errors',
	value: 'getErrors',
	description: 'Retrieve the errors Bright Data recorded for a job, one item per error',
	action: 'Get job errors',
	subtitle: 'Get Job Errors',
};

export const properties: INodeProperties[] = [
	{
		...jobIdField,
		hint: 'Bright Data records these errors mainly for high-priority jobs; for other jobs the list is often empty',
	},
];

/** GET /dca/jobs/{id}/hp_errors: one item per error (url, error, consumer). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readSnapshotId(this, itemIndex, { job: true });
		const response = await apiRequest.call(this, {
			method: 'GET',
			path: `/dca/jobs/${encodeURIComponent(snapshotId)}/hp_errors`,
			retry: 'idempotent',
			subject: { snapshotId, itemIndex },
		});
		const { errors } = parseJsonBody<{ errors?: IDataObject[] }>(this, response, {
			snapshotId,
			itemIndex,
		});
		return (Array.isArray(errors) ? errors : []).map((error) => ({
			json: { snapshot_id: snapshotId, ...error },
			pairedItem: { item: itemIndex },
		}));
	});
	return [output];
}
