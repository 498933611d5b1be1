import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { fetchJobLog } from '../../../shared/snapshot/jobLog';
import { jobIdField } from '../../descriptions/snapshot';
import { readSnapshotId } from '../../parameters/inputs';
import type { OperationOption } from '../types';
import { perItem, pick, simplifyField } from './common';

/** The fields a simplified job keeps, most used first (n8n's guideline: at most 10). */
export const SIMPLE_JOB_FIELDS =
	'id status collector inputs lines fails success_rate created finished job_time'.split(' ');

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	description: "Retrieve a job's status, number of inputs, rows and failures, and its times",
	action: 'Get job',
	subtitle: 'Get Job',
};

export const properties: INodeProperties[] = [
	jobIdField,
	simplifyField(
		'Simplified: ID, status, collector, inputs, rows (lines), failed inputs (fails), success rate, created, finished and run time',
	),
];

export const simplifyJob = (job: IDataObject): IDataObject => pick(job, SIMPLE_JOB_FIELDS);

/** GET /dca/log/{id}: status, inputs, lines, fails, success rate and times of a job. */
export const execute = perItem(async (ctx, itemIndex) => {
	const job = await fetchJobLog(ctx, readSnapshotId(ctx, itemIndex, { job: true }), itemIndex);
	return ctx.getNodeParameter('simplify', itemIndex, false) === true ? simplifyJob(job) : job;
});
