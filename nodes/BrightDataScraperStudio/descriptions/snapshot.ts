import type { INodeProperties } from 'n8n-workflow';

/** The snapshot (job) to work on: what Trigger returned as snapshot_id. */
export const snapshotIdField: INodeProperties = {
	displayName: 'Snapshot ID',
	name: 'snapshotId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. j_m9im5n7v82p2y35la',
	description:
		'The snapshot (collection) ID that the Trigger operation returned; Bright Data also calls it the job ID. Snapshots are kept for 16 days.',
	hint: 'After a Trigger node, use the expression {{ $json.snapshot_id }}',
};
