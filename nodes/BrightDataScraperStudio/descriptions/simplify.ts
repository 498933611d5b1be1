import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** n8n's Simplify toggle for answers with more than 10 fields. */
export function simplifyFields(hint: string): INodeProperties[] {
	return [
		{
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
			hint,
		},
	];
}

/** The chosen fields of `object`, in that order, null when absent. */
export function pick(object: IDataObject, fields: readonly string[]): IDataObject {
	return Object.fromEntries(fields.map((field) => [field, object[field] ?? null]));
}
