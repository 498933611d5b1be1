import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { collectorLocator } from '../../descriptions/collector';
import { readAiProgress } from '../../jobs/aiFlow';
import { forEachItem } from '../../output/items';
import { readCollector } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get AI Status',
	value: 'getAiStatus',
	description: 'Read once how far Bright Data\'s AI is with a collector: status, current step, steps done',
	action: 'Get AI status of collector',
	subtitle: 'Get AI Status',
};

export const properties: INodeProperties[] = [{ ...collectorLocator, description: 'The collector Create with AI made' }];

/** GET /dca/collectors/{id}/automate_template/progress, for workflows that wait with n8n's Wait node. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		const progress = await readAiProgress(this, collectorId, itemIndex);
		return [{ json: { collector_id: collectorId, ...progress, done: progress.status === 'done' }, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
