import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { append } from '../../../shared/append';
import { apiRequest, parseJsonBody } from '../../../shared/transport';
import { collectorLocator } from '../../descriptions/collector';
import { invalid, readCollector } from '../../parameters/inputs';
import type { OperationOption } from '../types';
import { perItem, pick, simplifyField } from './common';

/** The API's largest page. */
const PAGE_SIZE = 500;

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	description: "Retrieve a list of a collector's jobs in a date range",
	action: 'Get many jobs',
	subtitle: 'Get Many Jobs',
};

export const properties: INodeProperties[] = [
	collectorLocator,
	{
		displayName: 'From Date',
		name: 'fromDate',
		type: 'dateTime',
		default: '={{ $today.minus({ days: 7 }) }}',
		required: true,
		description: 'The first day of the jobs to list, e.g. 2026-11-01. Default: a week ago.',
	},
	{
		displayName: 'To Date',
		name: 'toDate',
		type: 'dateTime',
		default: '={{ $today }}',
		required: true,
		description: 'The last day of the jobs to list. Default: today.',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Oldest First',
		name: 'oldestFirst',
		type: 'boolean',
		default: false,
		description: 'Whether to list the oldest jobs first instead of the newest',
	},
	simplifyField(
		'Simplified: collector, ID, status, inputs, rows (data_lines), failed pages, page loads, queued, started and finished',
	),
];

/** The fields a simplified job in the list keeps, most used first (n8n's guideline: at most 10). */
const LISTED_FIELDS =
	'collector id status inputs data_lines failed_pages page_loads queued started finished';

/** A date parameter as the API wants it: YYYY-MM-DD. */
function readDate(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const text =
		raw && typeof raw === 'object' && 'toISO' in raw
			? String((raw as { toISO: () => string }).toISO())
			: String(raw ?? '');
	const day = text.trim().slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
		throw invalid(
			ctx,
			itemIndex,
			`${label} "${text}" is not a date`,
			'Use a date like 2026-11-01, or an expression such as {{ $today.minus({ days: 7 }) }}.',
		);
	return day;
}

/** GET /dca/collector/jobs, paging with offset and limit until the limit or the end. */
export const execute = perItem(async (ctx, itemIndex) => {
	const collector = readCollector(ctx, itemIndex);
	const query: IDataObject = {
		collector,
		from_date: readDate(ctx, 'fromDate', 'From Date', itemIndex),
		to_date: readDate(ctx, 'toDate', 'To Date', itemIndex),
		sort_asc: ctx.getNodeParameter('oldestFirst', itemIndex, false) ? 1 : -1,
	};
	const limit = ctx.getNodeParameter('returnAll', itemIndex, false)
		? Infinity
		: (ctx.getNodeParameter('limit', itemIndex, 50) as unknown);
	if (typeof limit !== 'number' || !(Number.isInteger(limit) || limit === Infinity) || limit < 1)
		throw invalid(
			ctx,
			itemIndex,
			`Limit must be a whole number of at least 1 (got ${JSON.stringify(limit)})`,
		);
	const subject = { collector, itemIndex };
	const jobs: IDataObject[] = [];
	for (let offset = 0; jobs.length < limit; ) {
		const response = await apiRequest.call(ctx, {
			method: 'GET',
			path: '/dca/collector/jobs',
			qs: { ...query, offset, limit: Math.min(PAGE_SIZE, limit - jobs.length) },
			retry: 'idempotent',
			subject,
		});
		const page = parseJsonBody<{ data?: IDataObject[]; total?: number }>(ctx, response, subject);
		const data = Array.isArray(page.data) ? page.data : [];
		append(jobs, data);
		offset += data.length;
		if (!data.length || (typeof page.total === 'number' && offset >= page.total)) break;
	}
	const simple = ctx.getNodeParameter('simplify', itemIndex, false) === true;
	return jobs.slice(0, limit).map((job) => {
		const json = { collector, ...job };
		return simple ? pick(json, LISTED_FIELDS.split(' ')) : json;
	});
});
