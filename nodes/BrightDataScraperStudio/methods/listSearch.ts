import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { apiRequest, parseJsonBody } from '../../shared/transport';

const PAGE_SIZE = 100;

interface CollectorEntry {
	id?: unknown;
	name?: unknown;
	active?: unknown;
}

/** "Product pages (c_…)"; collectors_list does not say whether a collector is real-time, so the label cannot. */
export function collectorLabel({ id, name, active }: CollectorEntry & { id: string }): string {
	const title = typeof name === 'string' && name ? `${name} (${id})` : id;
	return active === false ? `${title} — inactive` : title;
}

/** The account's collectors for the Collector picker, a page at a time, filtered by Bright Data's `search`. */
export async function searchCollectors(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const offset = Number(paginationToken ?? 0) || 0;
	const response = await apiRequest.call(this, {
		method: 'GET',
		path: '/dca/collectors_list',
		qs: { ...(filter ? { search: filter } : {}), offset, limit: PAGE_SIZE },
		retry: 'idempotent',
		subject: {},
	});
	const page = parseJsonBody<{ total?: unknown; data?: CollectorEntry[] }>(this, response, {});
	const data = Array.isArray(page.data) ? page.data : [];
	const next = offset + data.length;
	const more = data.length > 0 && typeof page.total === 'number' && next < page.total;
	return {
		results: data
			.filter((entry): entry is CollectorEntry & { id: string } => typeof entry.id === 'string')
			.map((entry) => ({ name: collectorLabel(entry), value: entry.id })),
		paginationToken: more ? String(next) : undefined,
	};
}
