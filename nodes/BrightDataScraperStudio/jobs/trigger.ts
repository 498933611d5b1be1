import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { append } from '../../shared/append';
import { plural } from '../../shared/plural';
import { isObject } from '../../shared/rows';
import { now } from '../../shared/timing';
import { apiRequest, type ApiResponse } from '../../shared/transport';
import { errorItems, itemsOf } from '../output/items';
import { constantParameterReader, isConstantParameter } from '../parameters/constant';
import { readCollector, readInputs } from '../parameters/inputs';
import { readTriggerOptions, type TriggerOptions } from '../options/trigger';
import { recordSnapshotId } from '../records/customData';
import { logEvent } from '../records/log';
import type { JobPlan, PlannedInput, TriggeredJob, TriggerQuery } from './types';

interface TriggerRequest {
	collector: string;
	query: TriggerQuery;
	inputs: PlannedInput[];
	inputsPerJob: number;
	secrets: string[];
}

/** As few jobs as possible: one per collector and query, split only above `inputsPerJob`; items keep their order. */
export function planJobs(requests: TriggerRequest[]): JobPlan[] {
	const groups = new Map<string, JobPlan & { inputsPerJob: number }>();
	for (const { collector, query, inputs, inputsPerJob, secrets } of requests) {
		const key = JSON.stringify([collector, query, inputsPerJob]);
		const group = groups.get(key) ?? { collector, query, inputs: [], inputsPerJob, secrets };
		append(group.inputs, inputs);
		groups.set(key, group);
	}
	const jobs: JobPlan[] = [];
	for (const { collector, query, inputs, inputsPerJob, secrets } of groups.values()) {
		for (let start = 0; start < inputs.length; start += inputsPerJob) {
			jobs.push({ collector, query, inputs: inputs.slice(start, start + inputsPerJob), secrets });
		}
	}
	return jobs;
}

/** Reads and checks every item before any request, so a bad item fails before a job is billed. */
export async function planJobsFromItems(
	ctx: IExecuteFunctions,
): Promise<{ jobs: JobPlan[]; invalidItems: INodeExecutionData[] }> {
	const requests: TriggerRequest[] = [];
	const invalidItems: INodeExecutionData[] = [];
	const read = constantParameterReader(ctx);
	// Trigger options come from Options and Delivery only: without expressions they are the same for every item.
	const sameOptions = isConstantParameter(ctx, 'options') && isConstantParameter(ctx, 'delivery');
	let shared: TriggerOptions | undefined;
	for (const itemIndex of ctx.getInputData().keys()) {
		try {
			const collector = readCollector(ctx, itemIndex, 'collector', read);
			const inputs = readInputs(ctx, itemIndex, read).map((input) => ({ itemIndex, input }));
			const options = shared ?? (await readTriggerOptions(ctx, itemIndex, read));
			if (sameOptions) shared = options;
			requests.push({ collector, inputs, ...options });
		} catch (error) {
			append(invalidItems, errorItems(ctx, error as Error, [itemIndex]));
		}
	}
	return { jobs: planJobs(requests), invalidItems };
}

/** An error after jobs started names their snapshots: their paid rows can still be collected with Get Dataset. */
export function errorAfterTrigger(
	ctx: Pick<IExecuteFunctions | IWebhookFunctions, 'getNode'>,
	error: unknown,
	snapshotIds: string[],
): Error {
	const ids = snapshotIds.join(', ');
	if (!ids) return error as Error;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		const before = error.description ? `${error.description}\n` : '';
		error.description = `${before}Snapshots already started: ${ids}. Collect their rows with Get Dataset.`;
		return error;
	}
	const reason = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(
		ctx.getNode(),
		`Could not output the rows of snapshot ${ids}: ${reason}`,
		{
			description: `The rows are at Bright Data. Collect them with Get Dataset and snapshot ${ids}.`,
		},
	);
}

export const snapshotIdsOf = (jobs: Array<{ snapshotId: string }>): string[] =>
	jobs.map(({ snapshotId }) => snapshotId);

/** The new job's ID from a billed start; without one the job may still have started, so it is reported, never resent. */
export function startedJobId(
	ctx: IExecuteFunctions,
	response: ApiResponse,
	{
		field,
		what,
		itemIndex,
	}: { field: 'collection_id' | 'response_id'; what: string; itemIndex?: number },
): { id: string; answer: IDataObject } {
	let answer: unknown;
	try {
		answer = JSON.parse(response.body);
	} catch {
		// Reported below with the body.
	}
	const id = isObject(answer) ? answer[field] : undefined;
	if (isObject(answer) && typeof id === 'string' && id) return { id, answer };
	throw new NodeApiError(ctx.getNode(), { body: response.excerpt } as JsonObject, {
		message: `Bright Data accepted the ${what} but sent no ${field}`,
		description: `It was not sent again, so no second job is billed. Look for a new job in the Bright Data control panel before running again. Bright Data said: ${response.excerpt}`,
		itemIndex,
	});
}

/** Sends one POST /dca/trigger; never resent once it may have reached Bright Data. */
export async function triggerJob(ctx: IExecuteFunctions, job: JobPlan): Promise<TriggeredJob> {
	const itemIndex = job.inputs[0]?.itemIndex;
	const response = await apiRequest
		.call(ctx, {
			method: 'POST',
			path: '/dca/trigger',
			qs: { collector: job.collector, ...job.query },
			body: job.inputs.map(({ input }) => input),
			retry: 'neverResend',
			subject: { collector: job.collector, itemIndex, action: 'trigger request' },
			secrets: job.secrets,
		})
		.catch((error: unknown) => {
			// Bright Data's 400 for a real-time collector: "Use /trigger_immediate endpoint instead".
			const realtime =
				error instanceof NodeApiError &&
				error.httpCode === '400' &&
				/trigger_immediate/i.test(String(error.description ?? ''));
			if (!realtime) throw error;
			throw new NodeApiError(ctx.getNode(), { collector: job.collector } as JsonObject, {
				message: `Collector "${job.collector}" is a real-time collector, so it cannot start a batch job`,
				description:
					'Set Operation to "Run Real-Time" for this collector, or pick a batch collector. Trigger and Trigger and Wait start batch jobs.',
				httpCode: '400',
				itemIndex,
			});
		});
	const { id, answer } = startedJobId(ctx, response, {
		field: 'collection_id',
		what: `trigger for collector "${job.collector}"`,
		itemIndex,
	});
	const triggered: TriggeredJob = {
		...job,
		snapshotId: id,
		startEta: typeof answer.start_eta === 'string' ? answer.start_eta : undefined,
		triggeredAt: now(),
	};
	// A billed job: make it findable at once, should the worker die before the node ends.
	logEvent(
		ctx,
		`job started, snapshot ${id}`,
		{ snapshotId: id, collector: job.collector, inputs: job.inputs.length },
		{ detail: `collector ${job.collector}, ${plural(job.inputs.length, 'input')}` },
	);
	recordSnapshotId(ctx, id);
	return triggered;
}

// Starts the jobs in turn. A failed start names the jobs already started (their paid work can still be collected);
// `items` holds, in plan order, `itemOf` of each started job and the error items.
export async function startJobs(
	ctx: IExecuteFunctions,
	jobs: JobPlan[],
	itemOf?: (job: TriggeredJob) => INodeExecutionData,
): Promise<{ started: TriggeredJob[]; items: INodeExecutionData[] }> {
	const started: TriggeredJob[] = [];
	const items: INodeExecutionData[] = [];
	for (const job of jobs) {
		try {
			const triggered = await triggerJob(ctx, job);
			started.push(triggered);
			if (itemOf) items.push(itemOf(triggered));
		} catch (error) {
			const named = errorAfterTrigger(ctx, error, snapshotIdsOf(started));
			append(items, errorItems(ctx, named, itemsOf(job.inputs)));
		}
	}
	return { started, items };
}

/** Cancels a job at Bright Data (POST /dca/jobs/{id}/cancel); it then bills no more pages. `afterStop`: see ApiRequest. */
export async function cancelJob(
	ctx: IExecuteFunctions,
	snapshotId: string,
	itemIndex?: number,
	afterStop = false,
): Promise<void> {
	await apiRequest.call(ctx, {
		method: 'POST',
		path: `/dca/jobs/${encodeURIComponent(snapshotId)}/cancel`,
		retry: 'idempotent',
		subject: { snapshotId, itemIndex },
		afterStop,
	});
}
