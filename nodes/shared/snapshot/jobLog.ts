import type { IDataObject } from 'n8n-workflow';

import { apiRequest, parseJsonBody, type RequestContext } from '../transport';

/** The /dca/log fields users look at, in the order they are shown. */
const FIELDS = `id status collector template inputs dup_inputs lines fails pages pages_left success
	success_rate navigations created started finished job_time queue_time trigger`.split(/\s+/);

/**
 * One shape for a job log whatever the key casing (the API answers `status`, the official SDK
 * also reads `Status`): known fields first (null when absent), then any others, keys in lower case.
 * The status word is lower-cased and "cancelled" spelled as n8n spells it, "canceled".
 */
export function normalizeJobLog(raw: IDataObject): IDataObject {
	const lower: IDataObject = {};
	for (const [key, value] of Object.entries(raw)) {
		const name = key.toLowerCase();
		if (!(name in lower)) lower[name] = value;
	}
	const job: IDataObject = {};
	for (const field of FIELDS) job[field] = lower[field] ?? null;
	if (typeof job.status === 'string')
		job.status = job.status.toLowerCase().replace('cancelled', 'canceled');
	return { ...job, ...Object.fromEntries(Object.entries(lower).filter(([key]) => !(key in job))) };
}

/** GET /dca/log/{id}, normalised. An unknown or expired job fails with the 404 explanation. */
export async function fetchJobLog(
	ctx: RequestContext,
	snapshotId: string,
	itemIndex?: number,
	deadline?: number,
): Promise<IDataObject> {
	const subject = { snapshotId, itemIndex };
	const response = await apiRequest.call(ctx, {
		method: 'GET',
		path: `/dca/log/${encodeURIComponent(snapshotId)}`,
		retry: 'idempotent',
		subject,
		deadline,
	});
	return normalizeJobLog(parseJsonBody<IDataObject>(ctx, response, subject));
}
