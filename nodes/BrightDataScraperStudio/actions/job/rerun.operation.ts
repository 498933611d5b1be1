import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { forEachItem } from '../../output/items';
import { readSnapshotId } from '../../parameters/inputs';
import { recordSnapshotId } from '../../records/customData';
import { logEvent } from '../../records/log';
import type { OperationOption } from '../types';
import { startedJobId } from '../../jobs/trigger';

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
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readSnapshotId(this, itemIndex, { job: true });
		const failedOnly = this.getNodeParameter('failedOnly', itemIndex, false) as boolean;
		const response = await apiRequest.call(this, {
			method: 'POST',
			path: `/dca/jobs/${encodeURIComponent(snapshotId)}/rerun`,
			...(failedOnly ? { body: { failed_only: 1 } } : {}),
			retry: 'neverResend',
			subject: { snapshotId, itemIndex, action: 'rerun request' },
		});
		const { id: newId, answer } = startedJobId(this, response, {
			field: 'collection_id',
			what: `rerun of "${snapshotId}"`,
			itemIndex,
		});
		const startEta = answer.start_eta;
		logEvent(
			this,
			`job started, snapshot ${newId}`,
			{ snapshotId: newId, rerunOf: snapshotId, failedOnly },
			{ detail: `rerun of ${snapshotId}${failedOnly ? ', failed inputs only' : ''}` },
		);
		recordSnapshotId(this, newId);
		const json = { snapshot_id: newId, rerun_of: snapshotId, failed_only: failedOnly };
		return [
			{
				json: typeof startEta === 'string' ? { ...json, start_eta: startEta } : json,
				pairedItem: { item: itemIndex },
			},
		];
	});
	return [output];
}
