import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/** True when a raw parameter value holds an n8n expression anywhere (a string starting with "="). */
function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (typeof value !== 'object' || value === null) return false;
	return Object.values(value).some(hasExpression);
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
 * The same context, but a parameter without an expression is read once and reused for every item.
 * n8n's getNodeParameter resolves, validates and copies the value on each call (several µs), and
 * planning a job reads five to eight parameters per item: for 20,000 items that was most of the
 * node's own time (bench/RESULTS.md, "Where the per-item time went"). A parameter with an
 * expression is still read per item. The shared values are only read, never changed.
 */
export function withConstantParameters(ctx: IExecuteFunctions): IExecuteFunctions {
	const constant = new Map<string, { fallback: unknown; value: unknown }>();
	function getNodeParameter(name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions): unknown {
		// Other options (rawExpressions, ensureType…) change what is read: those calls go to n8n every time.
		const cacheable = options === undefined || Object.keys(options).every((key) => key === 'extractValue');
		const key = options?.extractValue ? `${name}\u0000` : name;
		const known = cacheable ? constant.get(key) : undefined;
		if (known && sameFallback(known.fallback, fallback)) return known.value;
		const value = ctx.getNodeParameter(name, itemIndex, fallback, options);
		if (cacheable && !hasExpression(ctx.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true }))) {
			constant.set(key, { fallback, value });
		}
		return value;
	}
	return Object.create(ctx, { getNodeParameter: { value: getNodeParameter } }) as IExecuteFunctions;
}
