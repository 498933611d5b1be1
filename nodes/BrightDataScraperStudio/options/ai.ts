import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readCollector } from '../parameters/inputs';
import { numberOption, readOptions, type NumberOption } from './option';

/** The Timeout option of an AI Flow operation; `takes` says how long Bright Data takes, for the person choosing it. */
const aiTimeout = (defaultSeconds: number, what: string, takes: string): NumberOption =>
	numberOption({
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		default: defaultSeconds,
		min: 1,
		max: 86400,
		description: `The longest the node waits for ${what}, start included. ${takes} Default ${defaultSeconds}.`,
	});

// Bright Data documents 5 to 15 minutes, up to 25 on complex targets; 30 leaves room.
const createTimeout = aiTimeout(
	1800,
	'the AI job',
	'Bright Data takes 5 to 15 minutes, up to 25 on complex targets.',
);
// Self-Heal and Approve or Reject Heal: Bright Data documents "up to 15 minutes" to the proposal; 20 leaves room.
export const healTimeout = aiTimeout(
	1200,
	'the proposed change',
	'Bright Data takes up to 15 minutes.',
);
export const resolveHealTimeout = aiTimeout(
	1200,
	'Bright Data to finish the self-heal after the answer',
	'Bright Data documents no time for this step.',
);

/** Options of Create with AI. */
export const createWithAiOptions: INodeProperties[] = [
	{
		displayName: 'Existing Collector ID',
		name: 'existingCollector',
		type: 'string',
		default: '',
		placeholder: 'e.g. c_m9im5n7v82p2y35la',
		description:
			'Start the AI job on this collector, made by an earlier run whose AI start failed, instead of creating a new one',
	},
	{
		displayName: 'Return at Once',
		name: 'returnAtOnce',
		type: 'boolean',
		default: false,
		description:
			'Whether to output the collector ID as soon as the AI job has started, without waiting (Get AI Status reads its progress later)',
	},
	createTimeout.property,
];

export type AiOptions = ReturnType<typeof readAiOptions>;

export function readAiOptions(ctx: IExecuteFunctions, itemIndex: number) {
	const options = readOptions(ctx, itemIndex);
	return {
		timeoutSeconds: createTimeout.read(ctx, itemIndex, options),
		returnAtOnce: options.returnAtOnce === true,
		// A collector an earlier Create with AI made: its AI job starts there instead of on a new one.
		existingCollector:
			'existingCollector' in options
				? readCollector(ctx, itemIndex, 'options.existingCollector')
				: undefined,
	};
}
