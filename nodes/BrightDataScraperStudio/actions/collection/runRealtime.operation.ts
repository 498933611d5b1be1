import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { Row } from '../../../shared/rows';
import { pollUntilReady, rowReader } from '../../../shared/snapshot/polling';
import { now, secondsToMs } from '../../../shared/timing';
import { collectorLocator } from '../../descriptions/collector';
import { inputFields } from '../../descriptions/inputs';
import { runPerInput, type InputRequest } from '../../jobs/perInput';
import { PAGE_LIMIT_ERROR, realtimeRows } from '../../jobs/realtime';
import { triggerJob } from '../../jobs/trigger';
import { optionsCollection } from '../../options/option';
import { realtimeOptions } from '../../options/realtime';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Run Real-Time',
	value: 'runRealtime',
	description:
		'Scrape each input right away with a real-time collector and output its rows within seconds',
	action: 'Run real-time collection',
};

export const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	optionsCollection(realtimeOptions),
];

/** Runs an input that hit the real-time page limit as a one-input batch job instead. */
async function runAsBatch(
	ctx: IExecuteFunctions,
	request: InputRequest,
	deadline: number,
): Promise<Row[]> {
	const { collector, itemIndex, input } = request;
	const plan = { collector, query: { queue_next: 1 }, inputs: [{ itemIndex, input }], secrets: [] };
	const job = await triggerJob(ctx, plan);
	const result = await pollUntilReady(ctx, job.snapshotId, {
		reader: rowReader,
		deadline,
		startEta: job.startEta,
		itemIndex,
	});
	if (result.kind === 'ready') return result.rows;
	throw new NodeOperationError(
		ctx.getNode(),
		`Snapshot "${job.snapshotId}" was not ready in time (status: ${result.status})`,
		{
			itemIndex,
			description: `The input exceeded the real-time page limit and ran as a batch job. Collect its rows later with Get Dataset and snapshot ID ${job.snapshotId}.`,
		},
	);
}

/** One real-time job per input, several at a time; one item per result row. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await runPerInput(this, async (request) => {
		const deadline = now() + secondsToMs(request.options.timeoutSeconds);
		const rows = await realtimeRows(this, request, 'realtime', deadline);
		const overLimit = rows.some((row) => PAGE_LIMIT_ERROR.test(String(row.error ?? '')));
		return overLimit && request.options.onPageLimit === 'batch'
			? await runAsBatch(this, request, deadline)
			: rows;
	});
	const overLimit = output.filter(({ json }) =>
		PAGE_LIMIT_ERROR.test(String(json.error ?? '')),
	).length;
	if (overLimit) {
		this.addExecutionHints({
			message: `${overLimit} input(s) exceeded the real-time limit of 51 pages. Set On Page Limit to "Run the Input as a Batch Job", or use Trigger and Wait.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return [output];
}
