import type { INodeProperties } from 'n8n-workflow';

/** The snapshot whose rows Get Dataset reads: what Trigger returned as snapshot_id. */
export const snapshotIdField: INodeProperties = {
	displayName: 'Snapshot ID',
	name: 'snapshotId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. j_m9im5n7v82p2y35la',
	description:
		"The snapshot_id that the Trigger operation output. Bright Data keeps a snapshot's rows for 16 days.",
	hint: 'After a Trigger node, use the expression {{ $json.snapshot_id }}',
};

/** The job the Job operations work on: Bright Data gives a job and its snapshot one ID. */
export const jobIdField: INodeProperties = {
	...snapshotIdField,
	description:
		'The snapshot ID of the job, as Trigger output it (snapshot_id) or as Get Many Jobs lists it (id). It starts with j_, e.g. j_m9im5n7v82p2y35la.',
};
