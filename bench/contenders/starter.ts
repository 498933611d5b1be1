/**
 * What Bright Data's official Node.js starter does (API notes §10), written here from its
 * documented behaviour, on the emulator's scaled clock:
 * - POST /dca/trigger?collector=…&queue_next=1 with the inputs; fails without a collection_id;
 * - up to 60 times: sleep 5 s, then GET /dca/dataset?id=… (no format); done when the body
 *   parses as a non-empty JSON array, anything else means "keep polling";
 * - each request: 3 attempts; 4xx fails at once; 5xx and network errors wait 1 s, then 2 s.
 * The starter uses Node's https module; fetch on loopback sends the same requests.
 */
import { sleepEmulated, type BenchEmulator, type Stamp } from '../emulator';

const MAX_POLLS = 60;
const POLL_SECONDS = 5;
const ATTEMPTS = 3;

export interface ClientResult {
	snapshotId: string;
	rows: unknown[];
	/** When the rows were in hand. */
	emitted: Stamp;
}

export class HttpFailure extends Error {}

/** One request the starter's way: 3 attempts, backoff 1 s then 2 s on 5xx or network errors. */
export async function starterRequest(
	emulator: BenchEmulator,
	method: 'GET' | 'POST',
	pathAndQuery: string,
	body?: unknown,
): Promise<{ status: number; text: string }> {
	let lastError: unknown;
	for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
		try {
			const response = await fetch(`${emulator.api.url}${pathAndQuery}`, {
				method,
				headers: {
					Authorization: `Bearer ${emulator.api.token}`,
					'Content-Type': 'application/json',
					Accept: 'application/json',
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const text = await response.text();
			if (response.status < 400) return { status: response.status, text };
			const failure = new HttpFailure(`${method} ${pathAndQuery}: ${response.status} ${text}`);
			if (response.status < 500) throw failure; // any 4xx, 429 included, fails at once
			lastError = failure;
		} catch (error) {
			if (error instanceof HttpFailure) throw error;
			lastError = error; // network error: retried like a 5xx
		}
		if (attempt < ATTEMPTS - 1) await sleepEmulated(emulator, 2 ** attempt);
	}
	throw lastError;
}

function nonEmptyArray(text: string): unknown[] | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed) && parsed.length > 0 ? parsed : undefined;
	} catch {
		return undefined;
	}
}

export async function triggerLikeStarter(emulator: BenchEmulator, collector: string, inputs: object[]): Promise<string> {
	const { text } = await starterRequest(emulator, 'POST', `/dca/trigger?collector=${encodeURIComponent(collector)}&queue_next=1`, inputs);
	const snapshotId = (JSON.parse(text) as { collection_id?: string }).collection_id;
	if (!snapshotId) throw new Error(`No collection_id in ${text}`);
	return snapshotId;
}

export async function runStarter(emulator: BenchEmulator, collector: string, inputs: object[]): Promise<ClientResult> {
	const snapshotId = await triggerLikeStarter(emulator, collector, inputs);
	for (let poll = 0; poll < MAX_POLLS; poll++) {
		await sleepEmulated(emulator, POLL_SECONDS);
		const { text } = await starterRequest(emulator, 'GET', `/dca/dataset?id=${encodeURIComponent(snapshotId)}`);
		const rows = nonEmptyArray(text);
		if (rows) return { snapshotId, rows, emitted: emulator.now() };
	}
	throw new Error(`Snapshot ${snapshotId} not ready after ${MAX_POLLS} polls`);
}
