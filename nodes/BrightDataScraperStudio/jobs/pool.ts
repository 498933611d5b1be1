/** Runs `work` for every index with at most `concurrency` at a time; results keep their order. */
export async function mapWithConcurrency<T>(
	count: number,
	concurrency: number,
	work: (index: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	let next = 0;
	const worker = async () => {
		while (next < count) {
			const index = next++;
			results[index] = await work(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), count) }, worker));
	return results;
}
