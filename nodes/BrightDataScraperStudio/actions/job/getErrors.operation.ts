import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { apiRequest, parseJsonBody } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../parameters/inputs';
import type { OperationOption } from '../types';
import { perItem } from './common';

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
export const execute = perItem(async (ctx, itemIndex) => {
	const snapshotId = readSnapshotId(ctx, itemIndex, { job: true });
	const subject = { snapshotId, itemIndex };
	const response = await apiRequest.call(ctx, {
		method: 'GET',
		path: `/dca/jobs/${encodeURIComponent(snapshotId)}/hp_errors`,
		retry: 'idempotent',
		subject,
	});
	const { errors } = parseJsonBody<{ errors?: IDataObject[] }>(ctx, response, subject);
	return (Array.isArray(errors) ? errors : []).map((error) => ({
		snapshot_id: snapshotId,
		...error,
	}));
});
