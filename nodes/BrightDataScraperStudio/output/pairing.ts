import type { IDataObject, IPairedItemData } from 'n8n-workflow';

import type { Row } from '../../shared/rows';
import type { PlannedInput } from '../jobs/types';

/** What is left to write: a value to serialise, or text to copy as is. */
type Pending = { value: unknown } | { text: string };

/** inputKey of a flat object (the usual input) in one loop, as it runs twice per row; undefined when a field nests. */
function flatKey(object: IDataObject): string | undefined {
	const names = Object.keys(object);
	if (names.length > 1) names.sort();
	let key = '{';
	for (const name of names) {
		const value = object[name];
		if (value === null || value === undefined) continue;
		if (typeof value === 'object') return undefined;
		key += `${key.length > 1 ? ',' : ''}${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`;
	}
	return `${key}}`;
}

// Ignores key order and null fields (the API echoes omitted fields as null). An explicit stack, not recursion:
// an echoed `input` comes from the network, and one nested 100,000 levels deep must not overflow the call stack.
export function inputKey(input: unknown): string {
	const flat =
		typeof input === 'object' && input !== null && !Array.isArray(input)
			? flatKey(input as IDataObject)
			: undefined;
	if (flat !== undefined) return flat;
	const out: string[] = [];
	const stack: Pending[] = [{ value: input }];
	// Pushes what a value expands to, last part first, so that it pops in order.
	const expand = (parts: Pending[]) => {
		for (let index = parts.length - 1; index >= 0; index--) stack.push(parts[index]);
	};
	for (let next = stack.pop(); next; next = stack.pop()) {
		if ('text' in next) {
			out.push(next.text);
			continue;
		}
		const { value } = next;
		if (Array.isArray(value)) {
			expand([
				{ text: '[' },
				...value.flatMap((entry, index): Pending[] =>
					index ? [{ text: ',' }, { value: entry }] : [{ value: entry }],
				),
				{ text: ']' },
			]);
		} else if (typeof value === 'object' && value !== null) {
			const entries = Object.entries(value as IDataObject)
				.filter(([, field]) => field !== null && field !== undefined)
				.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
			const fields = entries.flatMap(([key, field], index): Pending[] => [
				{ text: `${index ? ',' : ''}${JSON.stringify(key)}:` },
				{ value: field },
			]);
			expand([{ text: '{' }, ...fields, { text: '}' }]);
		} else {
			out.push(JSON.stringify(value) ?? 'null');
		}
	}
	return out.join('');
}

export interface PairedRow {
	row: Row;
	pairedItem: IPairedItemData | IPairedItemData[];
	/** The first incoming item the row belongs to, for ordering. */
	order: number;
}

/** Links each row to the item whose input it echoes (else to every item of its job), in item order. */
export function pairRows(rows: Row[], inputs: PlannedInput[]): PairedRow[] {
	const itemByKey = new Map<string, number>();
	for (const { itemIndex, input } of inputs) {
		const key = inputKey(input);
		if (!itemByKey.has(key)) itemByKey.set(key, itemIndex);
	}
	const jobItems = [...new Set(inputs.map(({ itemIndex }) => itemIndex))];
	const everyItem = jobItems.map((item) => ({ item }));

	const paired = rows.map((row): PairedRow => {
		const item =
			itemByKey.get(inputKey(row.input)) ?? (jobItems.length === 1 ? jobItems[0] : undefined);
		return item === undefined
			? { row, pairedItem: everyItem, order: jobItems[0] ?? 0 }
			: { row, pairedItem: { item }, order: item };
	});
	// Array.prototype.sort is stable, so rows of one item keep the API's order.
	return paired.sort((a, b) => a.order - b.order);
}
