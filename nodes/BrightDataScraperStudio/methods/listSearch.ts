import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { apiRequest } from '../transport';

interface CollectorSummary {
	id?: unknown;
	name?: unknown;
}

/** The account's collectors for the Collector picker, filtered by Bright Data's `search`. */
export async function searchCollectors(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const response = await apiRequest.call(this, {
		method: 'GET',
		path: '/dca/collectors_list',
		qs: filter ? { search: filter } : {},
		retry: 'idempotent',
		subject: {},
	});
	const { data } = JSON.parse(response.body) as { data?: CollectorSummary[] };
	const results = (Array.isArray(data) ? data : [])
		.filter((collector): collector is { id: string; name?: unknown } => typeof collector.id === 'string')
		.map(({ id, name }) => ({ name: typeof name === 'string' && name ? `${name} (${id})` : id, value: id }));
	return { results };
}
