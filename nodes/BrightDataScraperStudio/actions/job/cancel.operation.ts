import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { jobIdField } from '../../descriptions/snapshot';
import { cancelJob } from '../../jobs/trigger';
import { forEachItem } from '../../output/items';
import { readJobId } from '../../parameters/inputs';

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['cancel'] } }, [jobIdField]);

/** POST /dca/jobs/{id}/cancel. Bright Data refuses to cancel a finished job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const snapshotId = readJobId(this, itemIndex);
		await cancelJob(this, snapshotId, itemIndex);
		return [{ json: { snapshot_id: snapshotId, canceled: true }, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
