import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../rows';

/**
 * Where a notification may name its job. Bright Data does not document the body; the trigger
 * answer calls the ID `collection_id`, the other endpoints `snapshot_id`, `id` or `job_id`.
 */
export const SNAPSHOT_KEYS = ['collection_id', 'snapshot_id', 'id', 'job_id'] as const;
/** Nested objects are searched for these only: a nested `id` is too likely to be something else. */
const NESTED_KEYS = ['collection_id', 'snapshot_id', 'job_id'] as const;
export const SNAPSHOT_QUERY_PARAMETER = 'snapshot_id';

/**
 * What a snapshot (job) ID may be, wherever one is read: a parameter, a notification, a URL.
 * Real IDs are letters, digits and underscores (`j_m9k2…`, `vj_…`); no dot, so no ID can be
 * "." or ".." and change a request path such as /dca/jobs/{id}/cancel.
 */
export const MAX_SNAPSHOT_ID_LENGTH = 128;
const SNAPSHOT_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_SNAPSHOT_ID_LENGTH}}$`);

export const isSnapshotId = (text: string): boolean => SNAPSHOT_ID.test(text);

export interface FoundSnapshot {
	snapshotId: string;
	/** Where it was found, e.g. `query.snapshot_id`, `body.collection_id`, `body.data.snapshot_id`. */
	source: string;
}

function asSnapshotId(value: unknown): string | undefined {
	const text = Array.isArray(value) ? value[0] : value;
	if (typeof text !== 'string') return undefined;
	const trimmed = text.trim();
	return isSnapshotId(trimmed) ? trimmed : undefined;
}

/**
 * The snapshot ID of a notification: `?snapshot_id=` in the URL first (the user put it there on
 * purpose), then the body's `collection_id`, `snapshot_id`, `id`, `job_id`, then the same keys
 * (without `id`) one level down.
 */
export function findSnapshotId(
	query: IDataObject | undefined,
	body: IDataObject | undefined,
): FoundSnapshot | undefined {
	const fromQuery = asSnapshotId(query?.[SNAPSHOT_QUERY_PARAMETER]);
	if (fromQuery) return { snapshotId: fromQuery, source: `query.${SNAPSHOT_QUERY_PARAMETER}` };
	if (!isObject(body)) return undefined;
	for (const key of SNAPSHOT_KEYS) {
		const id = asSnapshotId(body[key]);
		if (id) return { snapshotId: id, source: `body.${key}` };
	}
	for (const [parent, value] of Object.entries(body)) {
		if (!isObject(value)) continue;
		for (const key of NESTED_KEYS) {
			const id = asSnapshotId(value[key]);
			if (id) return { snapshotId: id, source: `body.${parent}.${key}` };
		}
	}
	return undefined;
}
