/**
 * Collectors made for the bench and passed to startEmulator: each one's run time and rows are
 * fixed here, so "dataset ready" is known exactly (the emulator also records it on the job).
 */
import type { CollectorSpec } from '../emulator/server';
import type { InputObject, JsonValue } from '../emulator/types';

/** The emulator keeps every batch job "building" for this long before its run time starts. */
export const BUILDING_SECONDS = 1;

const baseBatch = (id: string): Omit<CollectorSpec, 'readySeconds'> => ({
	id,
	name: `Bench ${id}`,
	mode: 'batch',
	inputFields: ['url'],
	outputFields: { title: 'text', price: 'price' },
	makeRow: (input) => ({ url: input.url }),
	// No input fails: the bench's inputs are plain URLs and every one must give a row.
	issues: () => undefined,
});

/** A batch collector whose dataset is ready exactly `readyAfterSeconds` after the trigger. */
export function fixedReadyCollector(id: string, readyAfterSeconds: number): CollectorSpec {
	return { ...baseBatch(id), readySeconds: readyAfterSeconds - BUILDING_SECONDS };
}

/**
 * A batch collector whose run time grows with the job: 10 s per job plus 0.02 s per input
 * (a 1,000-input job takes 30 s, a one-input job 10 s), all inputs of a job run in parallel.
 */
export function perJobCostCollector(id: string): CollectorSpec {
	return { ...baseBatch(id), readySeconds: (inputs) => 10 + 0.02 * inputs };
}

export const perJobCostDescription = '10 s per job + 0.02 s per input (+1 s building)';

/** A real-time collector that answers `readySeconds` after trigger_immediate. */
export function realtimeCollector(id: string, readySeconds: number): CollectorSpec {
	return { ...baseBatch(id), mode: 'realtime', readySeconds };
}

const WORDS = (
	'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec ' +
	'romeo sierra tango uniform victor whiskey xray yankee zulu speaker lamp kettle blender monitor cable ' +
	'charger headphones keyboard mouse router camera lens tripod backpack bottle'
).split(' ');

/** Deterministic pseudo-random numbers (mulberry32); the soak script uses it too. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** What makes a bench row its own: its index, SKU and URLs. */
const rowIdentity = (index: number) => ({
	id: index,
	sku: `SKU-${String(index).padStart(7, '0')}`,
	url: `https://shop.example/product/${index}`,
	image: `https://cdn.shop.example/img/${index}.jpg`,
});

/** A product row of about 1 KB of JSON (with the echoed input), different for every index. */
export function bigRow(index: number): Record<string, JsonValue> {
	const next = random(index + 1);
	const words = (count: number) => Array.from({ length: count }, () => WORDS[Math.floor(next() * WORDS.length)]).join(' ');
	const { id, sku, url, image } = rowIdentity(index);
	return {
		id,
		sku,
		title: words(6),
		price: Math.round(next() * 100_000) / 100,
		currency: 'USD',
		availability: next() < 0.9 ? 'in stock' : 'out of stock',
		rating: Math.round(next() * 50) / 10,
		reviews: Math.floor(next() * 5000),
		url,
		image,
		categories: [words(1), words(1), words(1)],
		description: words(100).slice(0, 700),
	};
}

/**
 * Rows built once per collector: a million distinct cached rows would take gigabytes of this
 * process's heap, so row i is row (i mod this) with its own identity (id, SKU, URLs).
 */
const CACHED_ROWS = 10_000;

/**
 * One input, `rows` rows of about 1 KB each, ready 2 s after the trigger. The emulator renders
 * them a thousand at a time, spending its time serialising, not generating.
 */
export function bigDatasetCollector(id: string, rows: number): CollectorSpec {
	const cache = Array.from({ length: Math.min(rows, CACHED_ROWS) }, (_, index) => bigRow(index));
	return {
		id,
		name: `Bench ${rows} rows`,
		mode: 'batch',
		inputFields: ['url'],
		outputFields: {},
		readySeconds: 1,
		rowsPerInput: rows,
		issues: () => undefined,
		makeRow: (_input: InputObject, rowIndex: number) => ({ ...cache[rowIndex % cache.length], ...rowIdentity(rowIndex) }),
	};
}
