import type { INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { startedJobId } from '../../jobs/trigger';
import { readSnapshotId } from '../../parameters/inputs';
import { recordSnapshotId } from '../../records/customData';
import { logEvent } from '../../records/log';
import type { OperationOption } from '../types';
import { perItem } from './common';

export const option: OperationOption = {
	name: 'Rerun',
	value: 'rerun',
	description: 'Run a job again as a new job, with all its inputs or only the failed ones',
	action: 'Rerun job',
	subtitle: 'Rerun Job',
};

export const properties: INodeProperties[] = [
	jobIdField,
	{
		displayName: 'Failed Inputs Only',
		name: 'failedOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to rerun only the inputs that failed, instead of all of them',
	},
];

/** POST /dca/jobs/{id}/rerun: starts a new, billed job; outputs its snapshot ID. */
export const execute = perItem(async (ctx, itemIndex) => {
	const snapshotId = readSnapshotId(ctx, itemIndex, { job: true });
	const failedOnly = ctx.getNodeParameter('failedOnly', itemIndex, false) as boolean;
	const response = await apiRequest.call(ctx, {
		method: 'POST',
		path: `/dca/jobs/${encodeURIComponent(snapshotId)}/rerun`,
		...(failedOnly ? { body: { failed_only: 1 } } : {}),
		retry: 'neverResend',
		subject: { snapshotId, itemIndex, action: 'rerun request' },
	});
	const { id, answer } = startedJobId(ctx, response, {
		field: 'collection_id',
		what: `rerun of "${snapshotId}"`,
		itemIndex,
	});
	logEvent(
		ctx,
		`job started, snapshot ${id}`,
		{ snapshotId: id, rerunOf: snapshotId, failedOnly },
		{ detail: `rerun of ${snapshotId}${failedOnly ? ', failed inputs only' : ''}` },
	);
	recordSnapshotId(ctx, id);
	const json = { snapshot_id: id, rerun_of: snapshotId, failed_only: failedOnly };
	return typeof answer.start_eta === 'string' ? { ...json, start_eta: answer.start_eta } : json;
});
