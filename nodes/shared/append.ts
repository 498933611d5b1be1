/** Not `target.push(...items)`: V8 throws RangeError above about 120,000 arguments, and a snapshot's rows can be more. */
export function append<T>(target: T[], items: readonly T[]): void {
	for (const item of items) target.push(item);
}
