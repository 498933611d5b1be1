import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { nodeParameter } from '../parameters/constant';

/** Where parameters are read: an execution, or the webhook that resumes a waiting one (item 0 only). */
export type ParameterContext = IExecuteFunctions | IWebhookFunctions;

/** Whether the node runs as an AI-agent tool: n8n names the tool variant of a node type "<type>Tool". */
export const isTool = (ctx: ParameterContext): boolean => ctx.getNode().type.endsWith('Tool');

/** The values of the operation's Options collection, as the user set them. */
export const readOptions = (ctx: ParameterContext, itemIndex: number, read = nodeParameter(ctx)) =>
	read('options', itemIndex, {}) as IDataObject;

/** The "Options" collection of an operation. */
export const optionsCollection = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

/** A number option as written: its editor entry with `min` and `max` (none: no maximum) instead of typeOptions. */
type NumberOptionSpec = Omit<INodeProperties, 'type' | 'default' | 'typeOptions'> & {
	type: 'number';
	default: number;
	min: number;
	max?: number;
	/** The fallback when the node runs as an AI-agent tool, if it differs (the editor shows `default`). */
	toolDefault?: number;
	/** A count: read rounded down. */
	integer?: boolean;
};

export interface NumberOption {
	property: INodeProperties;
	default: number;
	/** The option of item `itemIndex`, checked because expressions bypass the editor's min and max. */
	read(ctx: ParameterContext, itemIndex: number, options?: IDataObject): number;
}

/** A number option of an Options collection, defined once: the editor's entry, its default and bounds, its reader. */
export function numberOption({
	min,
	max,
	toolDefault,
	integer,
	...property
}: NumberOptionSpec): NumberOption {
	const label = property.displayName.replace(/ \(Seconds\)$/, '');
	const highest = max ?? Number.MAX_SAFE_INTEGER;
	return {
		property: {
			...property,
			typeOptions: max === undefined ? { minValue: min } : { minValue: min, maxValue: max },
		},
		default: property.default,
		read(ctx, itemIndex, options = readOptions(ctx, itemIndex)) {
			const fallback = toolDefault !== undefined && isTool(ctx) ? toolDefault : property.default;
			// An option that is added but resolves to nothing (an expression giving undefined) is an error, not the default.
			const raw = property.name in options ? options[property.name] : fallback;
			const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
			if (typeof value !== 'number' || !(value >= min && value <= highest))
				throw new NodeOperationError(
					ctx.getNode(),
					`${label} must be a number from ${min} to ${highest} (got ${JSON.stringify(raw)})`,
					{ itemIndex },
				);
			return integer ? Math.floor(value) : value;
		},
	};
}
