import { NodeApiError } from 'n8n-workflow';

import { jobIdField } from '../../descriptions/snapshot';
import { cancelJob } from '../../jobs/trigger';
import { readSnapshotId } from '../../parameters/inputs';
import type { OperationOption } from '../types';
import { perItem } from './common';

export const option: OperationOption = {
	name: 'Cancel',
	value: 'cancel',
	description: 'Stop a job that is still running',
	action: 'Cancel job',
	subtitle: 'Cancel Job',
};

export const properties = [jobIdField];

/** POST /dca/jobs/{id}/cancel. Bright Data refuses (400) to cancel a job that has ended. */
export const execute = perItem(async (ctx, itemIndex) => {
	const snapshotId = readSnapshotId(ctx, itemIndex, { job: true });
	await cancelJob(ctx, snapshotId, itemIndex).catch((error: unknown) => {
		if (!(error instanceof NodeApiError) || error.httpCode !== '400') throw error;
		error.message = `Job "${snapshotId}" cannot be cancelled: it has already ended`;
		// Keep Bright Data's own words; drop the generic "check the parameters" advice.
		const said = String(error.description ?? '')
			.split('\n')
			.filter((line) => line.startsWith('Bright Data said'));
		error.description = [
			'Bright Data cancels only jobs that are still queued or running; Job → Get shows its status, Get Dataset its rows.',
			...said,
		].join('\n');
		throw error;
	});
	return { snapshot_id: snapshotId, canceled: true };
});
