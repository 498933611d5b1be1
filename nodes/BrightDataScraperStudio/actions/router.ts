import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import * as getDataset from './getDataset.operation';
import * as trigger from './trigger.operation';
import * as triggerAndWait from './triggerAndWait.operation';

export const operations = { getDataset, trigger, triggerAndWait };

export type Operation = keyof typeof operations;

/** Runs the chosen operation; each operation handles all incoming items at once. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as Operation;
	return await operations[operation].execute.call(this);
}
