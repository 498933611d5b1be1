import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { collectorLocator } from '../../descriptions/collector';
import { deliveryField } from '../../descriptions/delivery';
import { inputFields } from '../../descriptions/inputs';
import { planJobsFromItems, startJobs } from '../../jobs/trigger';
import type { TriggeredJob } from '../../jobs/types';
import { optionsCollection } from '../../options/option';
import { triggerOptions } from '../../options/trigger';
import { itemsOf } from '../../output/items';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Trigger',
	value: 'trigger',
	description:
		'Start a batch collection with the incoming inputs and output its snapshot ID without waiting',
	action: 'Trigger collection',
};

export const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	optionsCollection(triggerOptions),
	deliveryField,
];

/** The item that stands for a started job: its snapshot ID is what Get Dataset needs. */
function jobItem(job: TriggeredJob): INodeExecutionData {
	return {
		json: {
			snapshot_id: job.snapshotId,
			collector: job.collector,
			inputs: job.inputs.length,
			...(job.startEta ? { start_eta: job.startEta } : {}),
		},
		pairedItem: itemsOf(job.inputs).map((item) => ({ item })),
	};
}

/** Starts one job for all incoming items (more only above "Inputs per Job"); one item per job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const { jobs, invalidItems } = await planJobsFromItems(this);
	const { items } = await startJobs(this, jobs, jobItem);
	return [[...invalidItems, ...items]];
}
