import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { forEachItem } from '../../output/items';

/** n8n's Simplify toggle for answers with more than 10 fields. */
export function simplifyField(hint: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint,
	};
}

/** The chosen fields of `object`, in that order, null when absent. */
export const pick = (object: IDataObject, fields: readonly string[]): IDataObject =>
	Object.fromEntries(fields.map((field) => [field, object[field] ?? null]));

/** A Job operation's execute(): `run` per item, each object it answers an item linked to that one. */
export const perItem = (
	run: (ctx: IExecuteFunctions, itemIndex: number) => Promise<IDataObject | IDataObject[]>,
) =>
	async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output = await forEachItem(this, async (itemIndex) => {
			const answer = await run(this, itemIndex);
			return (Array.isArray(answer) ? answer : [answer]).map((json) => ({
				json,
				pairedItem: { item: itemIndex },
			}));
		});
		return [output];
	};
