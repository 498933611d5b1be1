/** "1 row", "2 rows": counts in messages a person reads. */
export const plural = (count: number, noun: string, many = `${noun}s`): string =>
	`${count} ${count === 1 ? noun : many}`;
