/**
 * A wrong start_eta costs a bounded delay (issue 26): a Trigger and Wait on defaults, against an
 * emulator whose trigger answers a start_eta three hours ahead of the truth.
 */
import { COLLECTORS, type CollectorSpec } from '../../emulator/collectors';
import { timing } from '../../nodes/shared/timing';
import { useEmulator } from '../harness/emulator';
import { triggerAndWait } from '../harness/params';
import { runScraper, SCRAPER } from '../harness/workflow';

const THREE_HOURS = 3 * 3600;
const base = COLLECTORS.find(({ id }) => id === 'c_products01')!;
const wrongEta = (id: string, readySeconds: number, extra: Partial<CollectorSpec> = {}): CollectorSpec => ({
	...base,
	id,
	readySeconds,
	startEtaErrorSeconds: THREE_HOURS,
	...extra,
});

// 1 emulated second = 20 real ms for both the emulator and the node.
const emulator = useEmulator({
	timeScale: 50,
	collectors: [...COLLECTORS, wrongEta('c_etafast', 2), wrongEta('c_etanohint', 20, { pendingHint: false, logProgress: 'missing' })],
});

async function run(collector: string) {
	const api = emulator.current();
	const start = api.requests.length;
	const result = await runScraper(triggerAndWait(collector, { options: { timeout: 900 } }), [{ url: 'https://shop.example/product/lamp' }], { baseUrl: api.url, token: api.token });
	const requests = api.requests.slice(start);
	// From the trigger to the answer with the rows, as the emulator saw them: the workflow's own start-up is not the node's wait.
	const seconds = (Date.parse(requests[requests.length - 1].time) - Date.parse(requests[0].time)) / timing.msPerSecond;
	const checks = requests.filter(({ path }) => path !== '/dca/trigger').length;
	return { result, seconds, checks };
}

test('the emulator reports start_eta on the wall clock, whatever its time scale', async () => {
	const api = emulator.current();
	const response = await fetch(`${api.url}/dca/trigger?collector=c_products01`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' },
		body: JSON.stringify([{ url: 'https://shop.example/product/lamp' }]),
	});
	const { start_eta: startEta } = (await response.json()) as { start_eta: string };
	// A job starts within emulated seconds, which are 20 ms here: not 100 times the uptime ahead.
	expect(Math.abs(Date.parse(startEta) - Date.now())).toBeLessThan(5_000);
});

test('a start_eta hours ahead: a job ready at 2 s gives its rows within seconds, in two checks at most', async () => {
	const { result, seconds, checks } = await run('c_etafast');

	expect([result.status, result.error?.message]).toEqual(['success', undefined]);
	expect(result.outputOf(SCRAPER)[0]).toHaveLength(1);
	// The first check comes 5 s after the trigger, before the ETA it does not believe.
	expect(seconds).toBeLessThan(30);
	expect(checks).toBeLessThanOrEqual(2);
});

test('without hints, the wrong ETA delays the rows by at most a tenth of the Timeout', async () => {
	const { result, seconds, checks } = await run('c_etanohint');

	expect([result.status, result.error?.message]).toEqual(['success', undefined]);
	expect(result.outputOf(SCRAPER)[0]).toHaveLength(1);
	// Ready at 20 s; the ETA counts for at most 90 s of the 900 s Timeout, then checks resume.
	expect(seconds).toBeGreaterThan(20);
	expect(seconds).toBeLessThan(20 + 90 + 30);
	expect(checks).toBeLessThanOrEqual(6);
});
