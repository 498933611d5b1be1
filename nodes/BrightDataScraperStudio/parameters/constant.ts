import type { IExecuteFunctions, IGetNodeParameterOptions, IWebhookFunctions } from 'n8n-workflow';

/** Reads one parameter for item `itemIndex`. Only `extractValue` among n8n's read options: the others change what is read. */
export type ReadParameter = (
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: Pick<IGetNodeParameterOptions, 'extractValue'>,
) => unknown;

/** n8n's getNodeParameter, as it is; the webhook that resumes a waiting execution has item 0 only. */
export function nodeParameter(ctx: IExecuteFunctions | IWebhookFunctions): ReadParameter {
	return 'getInputData' in ctx
		? (name, itemIndex, fallback, options) =>
				ctx.getNodeParameter(name, itemIndex, fallback, options)
		: (name, _itemIndex, fallback, options) => ctx.getNodeParameter(name, fallback, options);
}

/** True when a raw parameter value holds an n8n expression anywhere (a string starting with "="). */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	return typeof value === 'object' && value !== null && Object.values(value).some(hasExpression);
}

/** An object without own keys, found without allocating (the usual fallback `{}`). */
function isEmptyObject(value: unknown): boolean {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	for (const key in value) if (Object.hasOwn(value, key)) return false;
	return true;
}

/** Whether two fallbacks are the same value; runs on every read, so `{}` is recognised without JSON. */
const sameFallback = (a: unknown, b: unknown): boolean =>
	a === b ||
	(isEmptyObject(a) && isEmptyObject(b)) ||
	(typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

/** True when a parameter has no expression anywhere: it reads the same for every item. */
export const isConstantParameter = (ctx: IExecuteFunctions, name: string): boolean =>
	!hasExpression(ctx.getNodeParameter(name, 0, undefined, { rawExpressions: true }));

/**
 * getNodeParameter, but a parameter without an expression is read once and its value reused for every item:
 * n8n resolves and copies it per call, most of the node's own time on 20,000 items (bench/RESULTS.md,
 * "Where the per-item time went"). One per execution; the shared values are never changed.
 */
export function constantParameterReader(ctx: IExecuteFunctions): ReadParameter {
	const constant = new Map<string, { fallback: unknown; value: unknown }>();
	const perItem = new Set<string>();
	return (name, itemIndex, fallback, options) => {
		const key = options?.extractValue ? `${name}\u0000` : name;
		if (perItem.has(key)) return ctx.getNodeParameter(name, itemIndex, fallback, options);
		const known = constant.get(key);
		if (known && sameFallback(known.fallback, fallback)) return known.value;
		const value = ctx.getNodeParameter(name, itemIndex, fallback, options);
		if (hasExpression(ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true })))
			perItem.add(key);
		else constant.set(key, { fallback, value });
		return value;
	};
}
