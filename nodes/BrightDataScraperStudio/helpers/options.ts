import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS } from '../descriptions/options';
import { DEFAULT_INPUTS_PER_JOB } from './jobs';
import type { TriggerQuery } from './types';

function readOptions(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	return ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
}

/** A number option, checked because expressions bypass the editor's min and max. */
function numberOption(
	ctx: IExecuteFunctions,
	itemIndex: number,
	options: IDataObject,
	{ name, label, fallback, min, max }: { name: string; label: string; fallback: number; min: number; max: number },
): number {
	const raw = options[name] ?? fallback;
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
}

export function readTriggerOptions(ctx: IExecuteFunctions, itemIndex: number): TriggerOptions {
	const options = readOptions(ctx, itemIndex);
	const inputsPerJob = numberOption(ctx, itemIndex, options, {
		name: 'inputsPerJob',
		label: 'Inputs per Job',
		fallback: DEFAULT_INPUTS_PER_JOB,
		min: 1,
		max: 100000,
	});
	return {
		query: { queue_next: options.queueNext === false ? 0 : 1 },
		inputsPerJob: Math.floor(inputsPerJob),
	};
}

export interface WaitOptions {
	intervalSeconds: number;
	timeoutSeconds: number;
}

export function readWaitOptions(ctx: IExecuteFunctions, itemIndex: number): WaitOptions {
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
			fallback: DEFAULT_TIMEOUT_SECONDS,
			min: 1,
			max: 86400,
		}),
	};
}
