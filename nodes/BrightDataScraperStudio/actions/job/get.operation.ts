import {
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { fetchJobLog } from '../../../shared/snapshot/jobLog';
import { pick, simplifyFields } from '../../descriptions/simplify';
import { jobIdField } from '../../descriptions/snapshot';
import { forEachItem } from '../../output/items';
import { readSnapshotId } from '../../parameters/inputs';
import type { OperationOption } from '../types';

/** The fields a simplified job keeps, most used first (n8n's guideline: at most 10). */
export const SIMPLE_JOB_FIELDS = [
	'id',
	'status',
	'collector',
	'inputs',
	'lines',
	'fails',
	'success_rate',
	'created',
	'finished',
	'job_time',
] as const;

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: "Retrieve a job's status, number of inputs, rows and failures, and its times",
	action: 'Get job',
	subtitle: 'Get Job',
};

export const properties: INodeProperties[] = [
	jobIdField,
	...simplifyFields(
		'Simplified: ID, status, collector, inputs, rows (lines), failed inputs (fails), success rate, created, finished and run time',
	),
];

export const simplifyJob = (job: IDataObject): IDataObject => pick(job, SIMPLE_JOB_FIELDS);

/** GET /dca/log/{id}: status, inputs, lines, fails, success rate and times of a job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const jobId = readSnapshotId(this, itemIndex, { job: true });
		const job = await fetchJobLog(this, jobId, itemIndex);
		const simple = this.getNodeParameter('simplify', itemIndex, false) === true;
		return [{ json: simple ? simplifyJob(job) : job, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
