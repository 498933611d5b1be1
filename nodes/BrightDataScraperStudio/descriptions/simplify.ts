import type { IDataObject, INodeProperties } from 'n8n-workflow';

/**
 * n8n's Simplify toggle for answers with more than 10 fields. On by default from node version 2;
 * version 1 nodes keep every field, because saved workflows omit a value equal to the default.
 */
export function simplifyFields(hint: string): INodeProperties[] {
	const simplify: INodeProperties = {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
		hint,
	};
	return [
		{ ...simplify, displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } },
		{ ...simplify, default: false, displayOptions: { show: { '@version': [{ _cnd: { lt: 2 } }] } } },
	];
}

/** The chosen fields of `object`, in that order, null when absent. */
export function pick(object: IDataObject, fields: readonly string[]): IDataObject {
	return Object.fromEntries(fields.map((field) => [field, object[field] ?? null]));
}
