import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { append } from '../../shared/append';
import { cancelSignal } from '../../shared/transport';

/** With "Continue On Fail", one error item per affected item (default: all); a cancelled execution always throws. */
export function errorItems(
	ctx: IExecuteFunctions,
	error: Error,
	itemIndices = ctx.getInputData().map((_, item) => item),
): INodeExecutionData[] {
	if (!ctx.continueOnFail() || cancelSignal(ctx)?.aborted) throw error;
	const { description } = error as { description?: unknown };
	return itemIndices.map((item) => ({
		json: {
			error: error.message,
			...(typeof description === 'string' && description ? { description } : {}),
		},
		pairedItem: { item },
	}));
}

/** The distinct incoming items behind a list of inputs, in order. */
export const itemsOf = (inputs: Array<{ itemIndex: number }>): number[] => [
	...new Set(inputs.map(({ itemIndex }) => itemIndex)),
];

/** Runs `work` for each incoming item in turn; a failing item becomes error items with "Continue On Fail". */
export async function forEachItem(
	ctx: IExecuteFunctions,
	work: (itemIndex: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < ctx.getInputData().length; itemIndex++) {
		try {
			append(output, await work(itemIndex));
		} catch (error) {
			append(output, errorItems(ctx, error as Error, [itemIndex]));
		}
	}
	return output;
}
