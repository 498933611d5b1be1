import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { aiCollectorLocator } from '../../descriptions/collector';
import { aiJobFailed, readAiProgress } from '../../jobs/aiFlow';
import { forEachItem } from '../../output/items';
import { readCollector } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get AI Status',
	value: 'getAiStatus',
	description:
		"Read once how far Bright Data's AI is with a collector's create or self-heal job: status, current step, steps done",
	action: 'Get AI status of collector',
	subtitle: 'Get AI Status',
};

export const properties: INodeProperties[] = [
	aiCollectorLocator,
	{
		displayName: 'AI Job',
		name: 'aiJob',
		type: 'options',
		options: [
			{
				name: 'Create with AI',
				value: 'create',
				description: 'The job that writes a new collector',
			},
			{
				name: 'Self-Heal',
				value: 'heal',
				description:
					'The job that repairs the collector; "pending_answer" means it waits for approval',
			},
		],
		default: 'create',
		description: "Which of the collector's AI jobs to read. Default Create with AI.",
	},
];

/** GET /dca/collectors/{id}/automate_template/progress, for workflows that wait with n8n's Wait node. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		const kind = this.getNodeParameter('aiJob', itemIndex, 'create') === 'heal' ? 'heal' : 'create';
		const progress = await readAiProgress(this, collectorId, itemIndex, undefined, kind);
		const status = String(progress.status);
		// done and failed let an IF node end a Wait-node loop without knowing Bright Data's status names.
		return [
			{
				json: {
					collector_id: collectorId,
					...progress,
					done: status === 'done',
					failed: aiJobFailed(kind, status),
				},
				pairedItem: { item: itemIndex },
			},
		];
	});
	return [output];
}
