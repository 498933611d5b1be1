import { type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { jobIdField } from '../../descriptions/snapshot';
import { cancelJob } from '../../jobs/trigger';
import { forEachItem } from '../../output/items';
import { readJobId } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = { name: 'Cancel', value: 'cancel', description: 'Stop a job that is still running', action: 'Cancel job', subtitle: 'Cancel Job' };

export const properties = [jobIdField];

/** POST /dca/jobs/{id}/cancel. Bright Data refuses to cancel a finished job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readJobId(this, itemIndex);
		await cancelJob(this, snapshotId, itemIndex);
		return [{ json: { snapshot_id: snapshotId, canceled: true }, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
