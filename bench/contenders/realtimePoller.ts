/**
 * A small real-time client without long-polling: POST /dca/trigger_immediate, then every second
 * GET /dca/get_result (no timeout parameter) until it answers 200 with the rows.
 */
import { sleepEmulated, type BenchEmulator } from '../emulator';
import { starterRequest, type ClientResult } from './starter';

const MAX_POLLS = 600;
const POLL_SECONDS = 1;

export async function runRealtimePoller(emulator: BenchEmulator, collector: string, input: object): Promise<ClientResult> {
	const { text } = await starterRequest(emulator, 'POST', `/dca/trigger_immediate?collector=${encodeURIComponent(collector)}`, input);
	const responseId = (JSON.parse(text) as { response_id?: string }).response_id;
	if (!responseId) throw new Error(`No response_id in ${text}`);
	for (let poll = 0; poll < MAX_POLLS; poll++) {
		await sleepEmulated(emulator, POLL_SECONDS);
		const answer = await starterRequest(emulator, 'GET', `/dca/get_result?response_id=${encodeURIComponent(responseId)}`);
		if (answer.status === 200) {
			const body: unknown = JSON.parse(answer.text);
			return { snapshotId: responseId, rows: Array.isArray(body) ? body : [body], emitted: emulator.now() };
		}
	}
	throw new Error(`Result ${responseId} not ready after ${MAX_POLLS} polls`);
}
