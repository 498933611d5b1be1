import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { aiCollectorLocator } from '../../descriptions/collector';
import { cancelHeal } from '../../jobs/heal';
import { forEachItem } from '../../output/items';
import { readCollector } from '../../parameters/inputs';
import { logCollector } from '../../records/log';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Cancel Heal',
	value: 'cancelHeal',
	description:
		"Stop a self-heal that runs or waits for approval (only the user who started it can); the collector's code stays as it is",
	action: 'Cancel heal of collector',
	subtitle: 'Cancel Heal',
};

export const properties: INodeProperties[] = [aiCollectorLocator];

/** POST …/cancel_automation. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		await cancelHeal(this, collectorId, itemIndex);
		logCollector(this, collectorId, 'self-heal cancelled');
		return [
			{ json: { collector_id: collectorId, cancelled: true }, pairedItem: { item: itemIndex } },
		];
	});
	return [output];
}
