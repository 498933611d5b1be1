import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { jobIdField } from '../../descriptions/snapshot';
import { readJobId } from '../../helpers/inputs';
import { forEachItem } from '../../helpers/items';
import { fetchJobLog } from '../../helpers/jobLog';

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

const simplify: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description: 'Whether to return a simplified version of the response instead of the raw data',
	hint: 'Simplified: ID, status, collector, inputs, rows (lines), failed inputs (fails), success rate, created, finished and run time',
};

// On by default from node version 2; version 1 nodes saved before Simplify existed keep every field.
const properties: INodeProperties[] = [
	jobIdField,
	{ ...simplify, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
	{ ...simplify, default: false, displayOptions: { show: { '@version': [{ _cnd: { lt: 2 } }] } } },
];

export const description = updateDisplayOptions({ show: { resource: ['job'], operation: ['get'] } }, properties);

export function simplifyJob(job: IDataObject): IDataObject {
	return Object.fromEntries(SIMPLE_JOB_FIELDS.map((field) => [field, job[field] ?? null]));
}

/** GET /dca/log/{id}: status, inputs, lines, fails, success rate and times of a job. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const jobId = readJobId(this, itemIndex);
		const job = await fetchJobLog(this, jobId, itemIndex);
		const simple = this.getNodeParameter('simplify', itemIndex, false) === true;
		return [{ json: simple ? simplifyJob(job) : job, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
