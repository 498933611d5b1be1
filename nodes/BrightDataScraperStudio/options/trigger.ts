import { NodeOperationError, type IExecuteFunctions, type INodeProperties } from 'n8n-workflow';

import type { TriggerQuery } from '../jobs/types';
import { nodeParameter, type ReadParameter } from '../parameters/constant';
import { readDelivery } from '../parameters/delivery';
import { numberOption, readOptions } from './option';

/** Batch, real-time and crawl runs alike. */
export const useDevVersion: INodeProperties = {
	displayName: 'Use Development Version',
	name: 'useDevVersion',
	type: 'boolean',
	default: false,
	description:
		'Whether to run the development version of the collector instead of the published one. Its rows may lack fields until the collector is saved to production.',
};

// Bright Data sets no limit; 10,000 inputs keep a body near a MB, and each extra job costs a trigger and a download (bench/RESULTS.md).
export const inputsPerJob = numberOption({
	displayName: 'Inputs per Job',
	name: 'inputsPerJob',
	type: 'number',
	default: 10_000,
	min: 1,
	max: 100000,
	integer: true,
	description:
		'The most inputs sent in one job. All incoming items go into one job unless there are more inputs than this; then several jobs are started. Default 10000.',
});

/** Options of the trigger request itself (query parameters of POST /dca/trigger). */
export const triggerOptions: INodeProperties[] = [
	{
		displayName: 'Replace a Running Job of This Collector',
		name: 'confirmCancel',
		type: 'boolean',
		default: false,
		description:
			'Whether to cancel a collection of this collector that is still running and run this one instead. Off: this job waits or runs alongside it, as Bright Data decides.',
	},
	{
		displayName: 'Deadline',
		name: 'deadline',
		type: 'string',
		default: '',
		placeholder: 'e.g. 30m',
		description:
			'The longest the job may run at Bright Data, as a number and a unit (s, m, h or d), e.g. 45s, 30m or 1h. Bright Data then ends the job; inputs it did not finish come back as failed rows (error_code deadline_timeout).',
	},
	{
		displayName: 'Download Media Files',
		name: 'downloadMedia',
		type: 'boolean',
		default: false,
		description:
			"Whether Bright Data downloads the media files (images, screenshots) the collector finds. Bright Data bills downloads per GB. Without this option the collector's own setting applies.",
	},
	inputsPerJob.property,
	{
		displayName: 'Job Name',
		name: 'jobName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Daily prices {{ $now.toISODate() }}',
		description: 'A name for the job, shown in the Bright Data control panel',
	},
	{
		displayName: 'Queue Name',
		name: 'queue',
		type: 'string',
		default: '',
		placeholder: 'e.g. nightly',
		description: 'Jobs with the same queue name run one after another instead of at the same time',
	},
	{
		displayName: 'Queue Next',
		name: 'queueNext',
		type: 'boolean',
		default: true,
		description:
			"Whether Bright Data puts this job next in line, ahead of the collector's other waiting jobs. On by default, as in Bright Data's own examples; leave it on unless Bright Data support advises otherwise.",
	},
	useDevVersion,
];

export type TriggerOptions = Awaited<ReturnType<typeof readTriggerOptions>>;

const DEADLINE = /^\d+[smhd]$/;

/** The trigger's query parameters, as the API names them; optional ones only when the user set them. */
export async function readTriggerOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
) {
	const options = readOptions(ctx, itemIndex, read);
	const perJob = inputsPerJob.read(ctx, itemIndex, options);
	const text = (name: string) =>
		typeof options[name] === 'string' ? (options[name] as string).trim() : '';
	const [name, queue, deadline] = [text('jobName'), text('queue'), text('deadline')];
	if (deadline && !DEADLINE.test(deadline))
		throw new NodeOperationError(
			ctx.getNode(),
			`Deadline "${deadline}" is not a duration like 45s, 30m, 1h or 2d`,
			{ itemIndex },
		);
	const query: TriggerQuery = { queue_next: options.queueNext === false ? 0 : 1 };
	if (name) query.name = name;
	if (queue) query.queue = queue;
	if (options.useDevVersion === true) query.version = 'dev';
	if (deadline) query.deadline = deadline;
	if (options.downloadMedia !== undefined) query.no_downloads = options.downloadMedia ? 0 : 1;
	if (options.confirmCancel !== undefined) query.confirm_cancel = options.confirmCancel ? 1 : 0;
	const delivery = await readDelivery(ctx, itemIndex, read);
	return {
		query: { ...query, ...delivery.query },
		inputsPerJob: perJob,
		secrets: delivery.secrets,
	};
}
