import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { collectorLocator } from '../../descriptions/collector';
import { readAiProgress } from '../../jobs/aiFlow';
import { forEachItem } from '../../output/items';
import { readCollector } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get AI Status',
	value: 'getAiStatus',
	description: 'Read once how far Bright Data\'s AI is with a collector\'s create or self-heal job: status, current step, steps done',
	action: 'Get AI status of collector',
	subtitle: 'Get AI Status',
};

export const properties: INodeProperties[] = [
	{ ...collectorLocator, description: 'The collector Create with AI made, or the one a self-heal repairs' },
	{
		displayName: 'AI Job',
		name: 'aiJob',
		type: 'options',
		options: [
			{ name: 'Create with AI', value: 'create', description: 'The job that writes a new collector' },
			{ name: 'Self-Heal', value: 'heal', description: 'The job that repairs the collector; "pending_answer" means it waits for approval' },
		],
		default: 'create',
		description: 'Which of the collector\'s AI jobs to read. Default Create with AI.',
	},
];

/** GET /dca/collectors/{id}/automate_template/progress, for workflows that wait with n8n's Wait node. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		const kind = this.getNodeParameter('aiJob', itemIndex, 'create') === 'heal' ? 'heal' : 'create';
		const progress = await readAiProgress(this, collectorId, itemIndex, undefined, kind);
		return [{ json: { collector_id: collectorId, ...progress, done: progress.status === 'done' }, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
