import type { IDataObject, IPairedItemData } from 'n8n-workflow';

import type { PlannedInput, Row } from './types';

/** A key for an input object that ignores key order and null fields (the API echoes omitted fields as null). */
export function inputKey(input: unknown): string {
	if (typeof input !== 'object' || input === null) return JSON.stringify(input) ?? 'null';
	if (Array.isArray(input)) return `[${input.map(inputKey).join(',')}]`;
	// Runs twice per row (its planned input and its echo): plain loops, no intermediate arrays of pairs.
	const object = input as IDataObject;
	const keys = Object.keys(object).filter((name) => object[name] !== null && object[name] !== undefined);
	if (keys.length > 1) keys.sort();
	let key = '{';
	for (let index = 0; index < keys.length; index++) {
		key += `${index ? ',' : ''}${JSON.stringify(keys[index])}:${inputKey(object[keys[index]])}`;
	}
	return `${key}}`;
}

export interface PairedRow {
	row: Row;
	pairedItem: IPairedItemData | IPairedItemData[];
	/** The first incoming item the row belongs to, for ordering. */
	order: number;
}

/**
 * Links each row to the incoming item whose input it echoes, so n8n's item linking works.
 * A row whose `input` matches nothing is linked to every item of its job. Rows come back
 * in the order of the incoming items.
 */
export function pairRows(rows: Row[], inputs: PlannedInput[]): PairedRow[] {
	const itemByKey = new Map<string, number>();
	for (const { itemIndex, input } of inputs) {
		const key = inputKey(input);
		if (!itemByKey.has(key)) itemByKey.set(key, itemIndex);
	}
	const jobItems = [...new Set(inputs.map(({ itemIndex }) => itemIndex))];
	const everyItem = jobItems.map((item) => ({ item }));

	const paired = rows.map((row): PairedRow => {
		const item = itemByKey.get(inputKey(row.input)) ?? (jobItems.length === 1 ? jobItems[0] : undefined);
		return item === undefined
			? { row, pairedItem: everyItem, order: jobItems[0] ?? 0 }
			: { row, pairedItem: { item }, order: item };
	});
	// Array.prototype.sort is stable, so rows of one item keep the API's order.
	return paired.sort((a, b) => a.order - b.order);
}
