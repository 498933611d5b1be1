/**
 * Appends `items` to `target` in place. `target.push(...items)` passes every item as an argument,
 * and V8 throws RangeError ("Maximum call stack size exceeded") above about 120,000 of them: a
 * snapshot's rows, or an item's inputs, can be more.
 */
export function append<T>(target: T[], items: readonly T[]): void {
	for (const item of items) target.push(item);
}
