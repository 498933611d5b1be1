import type { IDataObject } from 'n8n-workflow';

import { isObject } from '../rows';

/** Where a notification may name its job (undocumented: the trigger answer says `collection_id`, others the rest). */
export const SNAPSHOT_KEYS = ['collection_id', 'snapshot_id', 'id', 'job_id'];
const NESTED_KEYS = SNAPSHOT_KEYS.filter((key) => key !== 'id');
export const SNAPSHOT_QUERY_PARAMETER = 'snapshot_id';

/**
 * A snapshot (job) ID, wherever one is read: letters, digits, `_` and `-` (`j_m9k2…`, `vj_…`). No dot, so no
 * ID can be "." or ".." and change a request path such as /dca/jobs/{id}/cancel.
 */
export const MAX_SNAPSHOT_ID_LENGTH = 128;
const SNAPSHOT_ID = new RegExp(`^[A-Za-z0-9_-]{1,${MAX_SNAPSHOT_ID_LENGTH}}$`);

export const isSnapshotId = (text: string): boolean => SNAPSHOT_ID.test(text);

/** The first of `keys` in `object` that holds a snapshot ID (of a query, the first value), trimmed. */
function idIn(object: IDataObject, keys: string[]): string | undefined {
	for (const key of keys) {
		const value: unknown = Array.isArray(object[key]) ? (object[key] as unknown[])[0] : object[key];
		if (typeof value === 'string' && isSnapshotId(value.trim())) return value.trim();
	}
	return undefined;
}

/**
 * The snapshot ID of a notification: `?snapshot_id=` in the URL first (the user put it there on purpose),
 * then the body's SNAPSHOT_KEYS, then the same keys but `id` (too likely to be something else) one level down.
 */
export function findSnapshotId(
	query: IDataObject | undefined,
	body: IDataObject | undefined,
): { snapshotId: string } | undefined {
	const nested = isObject(body) ? Object.values(body).filter(isObject) : [];
	const snapshotId =
		idIn(query ?? {}, [SNAPSHOT_QUERY_PARAMETER]) ??
		(isObject(body) ? idIn(body, SNAPSHOT_KEYS) : undefined) ??
		nested.map((value) => idIn(value, NESTED_KEYS)).find(Boolean);
	return snapshotId ? { snapshotId } : undefined;
}
