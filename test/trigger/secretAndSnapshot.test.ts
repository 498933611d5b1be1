import { timingSafeEqual } from 'node:crypto';

import { sameSecret } from '../../nodes/shared/secret';
import { findSnapshotId } from '../../nodes/shared/snapshot/id';
import { runWebhook } from './n8nHost';

// A pass-through wrapper, so the test can see how the comparison is made.
jest.mock('node:crypto', () => {
	const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
	return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const SECRET = 's3cr3t-Value';

describe('sameSecret (the one secret comparison of both nodes)', () => {
	test('equal, different, different length, missing', () => {
		expect(sameSecret(SECRET, SECRET)).toBe(true);
		expect(sameSecret('s3cr3t-valuE', SECRET)).toBe(false);
		expect(sameSecret(`${SECRET}x`, SECRET)).toBe(false);
		expect(sameSecret('', SECRET)).toBe(false);
		expect(sameSecret(undefined, SECRET)).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});

	test('compares with crypto.timingSafeEqual on two 32-byte digests, whatever the lengths', () => {
		const spy = jest.mocked(timingSafeEqual);
		spy.mockClear();
		sameSecret('short', SECRET);
		sameSecret(undefined, SECRET);
		sameSecret('a much longer value than the secret', SECRET);
		expect(spy).toHaveBeenCalledTimes(3);
		for (const [a, b] of spy.mock.calls) {
			expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
		}
	});
});

describe('Header Auth: the secret in the credential\'s header or as a Bearer token', () => {
	/** Whether the webhook lets a request with these headers in, for a credential with this secret and header name. */
	async function admits(headers: Record<string, string | string[]>, secret = SECRET, headerName?: string): Promise<boolean> {
		const { response } = await runWebhook({
			body: [{ a: 1 }],
			headers: headers as Record<string, string>,
			parameters: { authentication: 'headerAuth' },
			secret: { secret, ...(headerName === undefined ? {} : { headerName }) },
		});
		return response.statusCode !== 401;
	}

	test('the default header X-Webhook-Secret', async () => {
		expect(await admits({ 'x-webhook-secret': SECRET })).toBe(true);
		expect(await admits({ 'x-webhook-secret': 'wrong' })).toBe(false);
		expect(await admits({})).toBe(false);
	});

	test('a configured header name, in any letter case', async () => {
		expect(await admits({ 'x-bd-token': SECRET }, SECRET, 'X-BD-Token')).toBe(true);
		expect(await admits({ 'X-BD-Token': SECRET }, SECRET, 'x-bd-token')).toBe(true);
		expect(await admits({ 'x-webhook-secret': SECRET }, SECRET, 'X-BD-Token')).toBe(false);
		expect(await admits({ 'x-webhook-secret': SECRET }, SECRET, '  ')).toBe(true);
	});

	test('Authorization: Bearer <secret>, whatever the header name', async () => {
		expect(await admits({ authorization: `Bearer ${SECRET}` })).toBe(true);
		expect(await admits({ authorization: `bearer   ${SECRET}  ` }, SECRET, 'X-Other')).toBe(true);
		expect(await admits({ authorization: `Basic ${SECRET}` })).toBe(false);
		expect(await admits({ authorization: SECRET })).toBe(false);
	});

	test('a repeated header counts by its first value', async () => {
		expect(await admits({ 'x-webhook-secret': [SECRET, 'other'] })).toBe(true);
		expect(await admits({ authorization: ['Bearer one', 'Bearer two'] }, 'one')).toBe(true);
		expect(await admits({ authorization: ['Bearer one', 'Bearer two'] }, 'two')).toBe(false);
	});

	test('the Bearer header is read in linear time: 200,000 spaces inside the value, and odd values', async () => {
		// The regular expression this replaced backtracked quadratically on a run of spaces followed by
		// anything but the end (0.9 s for 20,000 spaces; about 90 s here, beyond jest's timeout).
		const spaces = ' '.repeat(200_000);
		expect(await admits({ authorization: `Bearer x${spaces}y` }, `x${spaces}y`)).toBe(true);
		expect(await admits({ authorization: `Bearer${spaces}x${spaces}` }, 'x')).toBe(true);
		expect(await admits({ authorization: `Bearer${spaces}` })).toBe(false);
		expect(await admits({ authorization: `${spaces}bEaReR\t tok en \t` }, 'tok en')).toBe(true);
		expect(await admits({ authorization: 'Bearertoken' }, 'token')).toBe(false);
		expect(await admits({ authorization: 'Bearer a\nb' }, 'a\nb')).toBe(false);
		expect(await admits({ authorization: 'Bearer ü✓' }, 'ü✓')).toBe(true);
		expect(await admits({ authorization: `Bearer${spaces}${SECRET}${spaces}` })).toBe(true);
	});

	test('non-ASCII, huge and empty secrets are compared without throwing', () => {
		expect(sameSecret('ü'.repeat(10), 'u'.repeat(10))).toBe(false);
		expect(sameSecret('x'.repeat(1_000_000), SECRET)).toBe(false);
		expect(sameSecret('ü✓', 'ü✓')).toBe(true);
	});
});

describe('findSnapshotId', () => {
	test('?snapshot_id= in the URL first', () => {
		expect(findSnapshotId({ snapshot_id: 'j_query' }, { collection_id: 'j_body' })).toEqual({ snapshotId: 'j_query' });
		expect(findSnapshotId({ snapshot_id: ['j_first', 'j_second'] }, {})).toEqual({ snapshotId: 'j_first' });
	});

	test('then collection_id, snapshot_id, id, job_id in the body, in that order', () => {
		expect(findSnapshotId({}, { id: 'j_id', snapshot_id: 'j_snap', collection_id: 'j_coll' })?.snapshotId).toBe('j_coll');
		expect(findSnapshotId({}, { id: 'j_id', snapshot_id: 'j_snap' })?.snapshotId).toBe('j_snap');
		expect(findSnapshotId({}, { job_id: 'j_job', id: 'j_id' })?.snapshotId).toBe('j_id');
		expect(findSnapshotId(undefined, { job_id: ' j_job ' })).toEqual({ snapshotId: 'j_job' });
	});

	test('then one level down, without id', () => {
		expect(findSnapshotId({}, { data: { snapshot_id: 'j_nested' } })).toEqual({ snapshotId: 'j_nested' });
		expect(findSnapshotId({}, { data: { id: 'row-1' } })).toBeUndefined();
	});

	test('values that cannot be an ID are skipped', () => {
		expect(findSnapshotId({ snapshot_id: '' }, { collection_id: 'j 1', id: 123, job_id: 'j_ok' })?.snapshotId).toBe('j_ok');
		expect(findSnapshotId({ snapshot_id: 'j_1&x=y' }, undefined)).toBeUndefined();
		expect(findSnapshotId({}, { collection_id: 'x'.repeat(200) })).toBeUndefined();
	});
});
