import { NodeOperationError, type IDataObject, type IExecuteFunctions, type IWebhookFunctions } from 'n8n-workflow';

import type { TriggerQuery } from '../jobs/types';
import {
	CRAWL_TIMEOUT_SECONDS,
	DEFAULT_AI_TIMEOUT_SECONDS,
	DEFAULT_INPUTS_PER_JOB,
	DEFAULT_TIMEOUT_SECONDS,
	DEFAULT_TOOL_TIMEOUT_SECONDS,
	REALTIME_CONCURRENCY,
	REALTIME_TIMEOUT_SECONDS,
} from './defaults';
import { DEFAULT_POLL_INTERVAL_SECONDS } from '../../shared/snapshot/pollSchedule';
import { readDelivery } from './delivery';
import { readCollector } from './inputs';

/** Where parameters are read: an execution, or the webhook that resumes a waiting one (item 0 only). */
type ParameterContext = IExecuteFunctions | IWebhookFunctions;

function parameter(ctx: ParameterContext, name: string, itemIndex: number, fallback: unknown): unknown {
	return 'getInputData' in ctx ? ctx.getNodeParameter(name, itemIndex, fallback) : ctx.getNodeParameter(name, fallback);
}

/** Whether the node runs as an AI-agent tool: n8n names the tool variant of a node type "<type>Tool". */
export function isTool(ctx: ParameterContext): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

function readOptions(ctx: ParameterContext, itemIndex: number): IDataObject {
	return parameter(ctx, 'options', itemIndex, {}) as IDataObject;
}

/** A number option, checked because expressions bypass the editor's min and max. */
function numberOption(
	ctx: ParameterContext,
	itemIndex: number,
	options: IDataObject,
	{ name, label, fallback, min, max }: { name: string; label: string; fallback: number; min: number; max: number },
): number {
	// An option that is added but resolves to nothing (an expression giving undefined) is an error, not the default.
	const raw = name in options ? options[name] : fallback;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a number from ${min} to ${max} (got ${JSON.stringify(raw)})`, {
			itemIndex,
		});
	}
	return value;
}

export interface TriggerOptions {
	query: TriggerQuery;
	inputsPerJob: number;
	/** Values typed into delivery fields that must never appear in an error. */
	secrets: string[];
}

const DEADLINE = /^\d+[smhd]$/;
const flag = (value: unknown): number => (value ? 1 : 0);

/** The trigger's query parameters, as the API names them; optional ones only when the user set them. */
export async function readTriggerOptions(ctx: IExecuteFunctions, itemIndex: number): Promise<TriggerOptions> {
	const options = readOptions(ctx, itemIndex);
	const inputsPerJob = numberOption(ctx, itemIndex, options, {
		name: 'inputsPerJob',
		label: 'Inputs per Job',
		fallback: DEFAULT_INPUTS_PER_JOB,
		min: 1,
		max: 100000,
	});
	const query: TriggerQuery = { queue_next: options.queueNext === false ? 0 : 1 };
	const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string).trim() : '');
	if (text('jobName')) query.name = text('jobName');
	if (text('queue')) query.queue = text('queue');
	if (options.useDevVersion === true) query.version = 'dev';
	if (text('deadline')) {
		if (!DEADLINE.test(text('deadline'))) {
			throw new NodeOperationError(ctx.getNode(), `Deadline "${text('deadline')}" is not a duration like 45s, 30m, 1h or 2d`, {
				itemIndex,
			});
		}
		query.deadline = text('deadline');
	}
	if (options.downloadMedia !== undefined) query.no_downloads = flag(!options.downloadMedia);
	if (options.confirmCancel !== undefined) query.confirm_cancel = flag(options.confirmCancel);
	const delivery = await readDelivery(ctx, itemIndex);
	return { query: { ...query, ...delivery.query }, inputsPerJob: Math.floor(inputsPerJob), secrets: delivery.secrets };
}

export type TimeoutPolicy = 'error' | 'output' | 'cancel';

export interface WaitOptions {
	intervalSeconds: number;
	timeoutSeconds: number;
	onTimeout: TimeoutPolicy;
	cancelOnStop: boolean;
	/** Poll inside the execution, or wait for Bright Data's notification without holding a worker. */
	mode: 'poll' | 'notification';
}

export function readWaitOptions(ctx: ParameterContext, itemIndex: number): WaitOptions {
	const options = readOptions(ctx, itemIndex);
	return {
		intervalSeconds: numberOption(ctx, itemIndex, options, {
			name: 'pollInterval',
			label: 'Poll Interval',
			fallback: DEFAULT_POLL_INTERVAL_SECONDS,
			min: 1,
			max: 3600,
		}),
		timeoutSeconds: numberOption(ctx, itemIndex, options, {
			name: 'timeout',
			label: 'Timeout',
			fallback: isTool(ctx) ? DEFAULT_TOOL_TIMEOUT_SECONDS : DEFAULT_TIMEOUT_SECONDS,
			min: 1,
			max: 86400,
		}),
		onTimeout: (options.onTimeout as TimeoutPolicy | undefined) ?? 'error',
		cancelOnStop: options.cancelOnStop === true,
		// A tool's call cannot wait in the database for Bright Data's notification: it always polls.
		mode: !isTool(ctx) && parameter(ctx, 'waitMode', itemIndex, 'poll') === 'notification' ? 'notification' : 'poll',
	};
}

export type FailedRowsPolicy = 'separate' | 'main' | 'drop';

export interface OutputSettings {
	mode: 'rows' | 'allRows' | 'file';
	fileFormat: 'json' | 'ndjson' | 'csv';
	binaryPropertyName: string;
	failedRows: FailedRowsPolicy;
	rowLimit: number;
}

export function readOutputSettings(ctx: ParameterContext, itemIndex: number, failedRowsDefault: FailedRowsPolicy): OutputSettings {
	const options = readOptions(ctx, itemIndex);
	// An agent reads only a tool's first output, as items.
	const tool = isTool(ctx);
	const mode = tool ? 'rows' : (parameter(ctx, 'outputMode', itemIndex, 'rows') as OutputSettings['mode']);
	const failedRows = (options.failedRows as FailedRowsPolicy | undefined) ?? failedRowsDefault;
	return {
		mode,
		fileFormat: mode === 'file' ? (parameter(ctx, 'fileFormat', itemIndex, 'json') as OutputSettings['fileFormat']) : 'json',
		binaryPropertyName: mode === 'file' ? String(parameter(ctx, 'binaryPropertyName', itemIndex, 'data')).trim() || 'data' : 'data',
		failedRows: tool && failedRows === 'separate' ? 'main' : failedRows,
		rowLimit: Math.floor(
			numberOption(ctx, itemIndex, options, { name: 'rowLimit', label: 'Row Limit', fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER }),
		),
	};
}

export interface RealtimeOptions {
	concurrency: number;
	timeoutSeconds: number;
	crawlTimeoutSeconds: number;
	query: IDataObject;
	onPageLimit: 'output' | 'batch';
}

const limits = ({ default: fallback, min, max }: { default: number; min: number; max: number }) => ({ fallback, min, max });

/** Options of Run Real-Time and Crawl for item `itemIndex` (Concurrency: the first item's holds for the run). */
export function readRealtimeOptions(ctx: IExecuteFunctions, itemIndex: number): RealtimeOptions {
	const options = readOptions(ctx, itemIndex);
	return {
		concurrency: Math.floor(numberOption(ctx, itemIndex, options, { name: 'concurrency', label: 'Concurrency', ...limits(REALTIME_CONCURRENCY) })),
		timeoutSeconds: numberOption(ctx, itemIndex, options, { name: 'timeout', label: 'Timeout per Input', ...limits(REALTIME_TIMEOUT_SECONDS) }),
		crawlTimeoutSeconds: Math.floor(
			numberOption(ctx, itemIndex, options, { name: 'crawlTimeout', label: 'Bright Data Hold Time', ...limits(CRAWL_TIMEOUT_SECONDS) }),
		),
		query: options.useDevVersion === true ? { version: 'dev' } : {},
		onPageLimit: options.onPageLimit === 'batch' ? 'batch' : 'output',
	};
}

export interface AiOptions {
	timeoutSeconds: number;
	returnAtOnce: boolean;
	/** A collector an earlier Create with AI made: its AI job starts there instead of on a new one. */
	existingCollector?: string;
}

/** Options of the Collector operations (Create with AI; the heal operations with their own default Timeout). */
export function readAiOptions(ctx: IExecuteFunctions, itemIndex: number, defaultTimeout = DEFAULT_AI_TIMEOUT_SECONDS): AiOptions {
	const options = readOptions(ctx, itemIndex);
	const timeout = { name: 'timeout', label: 'Timeout', fallback: defaultTimeout, min: 1, max: 86400 };
	return {
		timeoutSeconds: numberOption(ctx, itemIndex, options, timeout),
		returnAtOnce: options.returnAtOnce === true,
		existingCollector: 'existingCollector' in options ? readCollector(ctx, itemIndex, 'options.existingCollector') : undefined,
	};
}
