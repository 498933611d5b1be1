/**
 * The API credential is read (decrypted by n8n) once per run of the node, however many requests a wait sends: the
 * count is the harness's credentials helper, which n8n-core's getCredentials calls for every read.
 */
import { useEmulator } from '../harness/emulator';
import { triggerAndWait } from '../harness/params';
import { API_CREDENTIAL_TYPE, callResumeWebhook, runScraper, runWorkflow, scraperWorkflow } from '../harness/workflow';

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });

function counting(emulator: ReturnType<typeof useEmulator>) {
	const reads: string[] = [];
	const authenticated: string[] = [];
	const options = {
		baseUrl: emulator.current().url,
		token: emulator.current().token,
		onCredentialRead: (type: string) => reads.push(type),
		onRequest: (request: string) => authenticated.push(request),
	};
	return { reads, authenticated, options };
}

describe('Poll: one read for the trigger and every poll', () => {
	// 1 s is 20 ms: the 30 s job takes 0.6 s, so several checks happen however busy the machine.
	const emulator = useEmulator({ timeScale: 50 });

	test('a Trigger and Wait that polls several times reads the credential once, and authenticates every request with it', async () => {
		const api = emulator.current();
		const start = api.requests.length;
		const { reads, authenticated, options } = counting(emulator);
		// c_quickstart15 answers a bare "pending" until its 3 s per input are up: 10 inputs, a 30 s job, a check every 5 s.
		const items = Array.from({ length: 10 }, (_, n) => product(`item-${n}`));

		const result = await runScraper(triggerAndWait('c_quickstart15'), items, options);

		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(10);
		const sent = api.requests.slice(start);
		expect(sent.filter(({ path }) => path === '/dca/dataset').length).toBeGreaterThanOrEqual(3);
		expect(reads).toEqual([API_CREDENTIAL_TYPE]);
		// n8n's httpRequestWithAuthentication still authenticated each request, with the credential read once.
		expect(authenticated).toHaveLength(sent.length);
		expect(authenticated.filter((request) => request === 'GET /dca/dataset').length).toBeGreaterThanOrEqual(3);
	});
});

describe('Resume on Notification: one read before the wait, one in the webhook call', () => {
	// Slow enough that the job is not done before the execution parks.
	const emulator = useEmulator({ timeScale: 10 });

	test('the resumed webhook call has its own context and reads the credential once more', async () => {
		const { reads, options } = counting(emulator);
		const definition = scraperWorkflow(triggerAndWait('c_products01', { waitMode: 'notification' }), [product('speaker'), product('desk')]);
		const before = emulator.current().jobs.length;

		const waiting = await runWorkflow(definition, options);
		expect(waiting.status).toBe('waiting');
		expect(reads).toEqual([API_CREDENTIAL_TYPE]);

		const [job] = emulator.current().jobs.slice(before);
		emulator.current().finish(job.id);
		const endpoint = new URL(String((job.options.notify as { endpoint?: string }).endpoint));
		const answer = await callResumeWebhook(definition, waiting.run, { query: Object.fromEntries(endpoint.searchParams), body: { collection_id: job.id } }, options);

		expect(answer.resumed?.status).toBe('success');
		expect(answer.resumed?.outputOf('Scraper')[0]).toHaveLength(2);
		expect(reads).toEqual([API_CREDENTIAL_TYPE, API_CREDENTIAL_TYPE]);
	});
});
