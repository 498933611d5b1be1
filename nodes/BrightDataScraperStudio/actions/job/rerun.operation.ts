import {
	NodeApiError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type JsonObject,
} from 'n8n-workflow';

import { apiRequest, parseJsonBody } from '../../../shared/transport';
import { jobIdField } from '../../descriptions/snapshot';
import { forEachItem } from '../../output/items';
import { readJobId } from '../../parameters/inputs';
import { recordSnapshotId } from '../../records/customData';
import { logRerunStarted } from '../../records/log';

const properties: INodeProperties[] = [
	jobIdField,
	{
		displayName: 'Failed Inputs Only',
		name: 'failedOnly',
		type: 'boolean',
		default: false,
		description: 'Whether to rerun only the inputs that failed, instead of all of them',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['rerun'] } }, properties);

/** POST /dca/jobs/{id}/rerun: starts a new, billed job; outputs its snapshot ID. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readJobId(this, itemIndex);
		const failedOnly = this.getNodeParameter('failedOnly', itemIndex, false) as boolean;
		const response = await apiRequest.call(this, {
			method: 'POST',
			path: `/dca/jobs/${encodeURIComponent(snapshotId)}/rerun`,
			...(failedOnly ? { body: { failed_only: 1 } } : {}),
			retry: 'neverResend',
			subject: { snapshotId, itemIndex, action: 'rerun request' },
		});
		const { collection_id: newId, start_eta: startEta } = parseJsonBody<{ collection_id?: unknown; start_eta?: unknown }>(
			this,
			response,
			{ snapshotId, itemIndex },
		);
		if (typeof newId !== 'string' || !newId) {
			throw new NodeApiError(this.getNode(), { body: response.excerpt } as JsonObject, {
				message: `Bright Data accepted the rerun of "${snapshotId}" but sent no collection_id`,
				description: 'Look for the new job in the Bright Data control panel before running again.',
				itemIndex,
			});
		}
		logRerunStarted(this, { snapshotId: newId, rerunOf: snapshotId, failedOnly });
		recordSnapshotId(this, newId);
		const json = { snapshot_id: newId, collection_id: newId, rerun_of: snapshotId, failed_only: failedOnly };
		return [{ json: typeof startEta === 'string' ? { ...json, start_eta: startEta } : json, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
