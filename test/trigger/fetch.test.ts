/** Job Finished with Fetch Rows, against the emulator (real HTTP on 127.0.0.1), through a fake IWebhookFunctions. */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { useEmulator } from '../harness/emulator';
import { trigger } from '../emulator/client';
import { runWebhook, type FakeRequestOptions } from './n8nHost';

// 1 s = 100 ms: the trigger node's 30 s wait for a pending snapshot is 3 s, room for its requests on a busy machine.
const emulated = useEmulator({ timeScale: 10 });

const inputs = [{ url: 'https://example.com/product/1' }, { url: 'https://example.com/product/404' }];

function request(notification: unknown, parameters: FakeRequestOptions['parameters'] = {}, extra: FakeRequestOptions = {}): FakeRequestOptions {
	const emulator = emulated.current();
	return {
		body: notification,
		headers: { 'content-type': 'application/json' },
		parameters: { event: 'jobFinished', ...parameters },
		credentials: { apiToken: emulator.token, baseUrl: emulator.url },
		...extra,
	};
}

async function finishedJob(collector = 'c_products01', jobInputs = inputs): Promise<string> {
	const emulator = emulated.current();
	const id = await trigger(emulator, collector, jobInputs);
	emulator.finish(id);
	return id;
}

describe('answering before fetching (default)', () => {
	test('answers 200 first, then fetches the rows by collection_id and outputs them', async () => {
		const emulator = emulated.current();
		const id = await finishedJob();
		const run = await runWebhook(request({ collection_id: id, snapshot_id: id, status: 'done' }));

		expect(run.events).toEqual(['respond 200', 'GET /dca/dataset']);
		expect(run.response.json()).toEqual({ received: true, snapshot_id: id });
		expect(run.result.noWebhookResponse).toBe(true);
		expect(run.rows).toEqual(emulator.job(id)!.rows);
		expect(run.rows).toHaveLength(2);
		expect(run.rows[1]).toMatchObject({ error_code: 'dead_page' });
	});

	test('the snapshot ID can come from ?snapshot_id= in the URL; failed inputs can be dropped; metadata added', async () => {
		const id = await finishedJob();
		const run = await runWebhook(
			request({ note: 'no id here' }, { options: { failedRows: 'drop', addMetadata: true } }, { query: { snapshot_id: id } }),
		);
		expect(run.rows).toHaveLength(1);
		expect(run.rows[0]).toMatchObject({
			input: inputs[0],
			_brightdata: { event: 'jobFinished', snapshot_id: id, notification: { note: 'no id here' }, received_at: expect.any(String) },
		});
	});

	test('waits for a snapshot that is still building, polling as the API suggests', async () => {
		const emulator = emulated.current();
		// A job that only finishes when the test says so, once the node has seen it building (the
		// file's clock, 1 s = 100 ms, leaves a busy machine room within the node's 30 s wait).
		const id = await trigger(emulator, 'c_stuck05', inputs);
		const polled = () => emulator.requests.some(({ path, query }) => path === '/dca/dataset' && query.id === id);
		const finisher = (async () => {
			while (!polled()) await new Promise((resolve) => setTimeout(resolve, 2));
			emulator.finish(id);
		})();
		const run = await runWebhook(request({ collection_id: id }));
		await finisher;
		expect(run.rows).toHaveLength(2);
		expect(run.events.filter((event) => event === 'GET /dca/dataset').length).toBeGreaterThan(1);
	});

	test('a failed fetch becomes an item with the error, since the answer is already sent', async () => {
		const run = await runWebhook(request({ collection_id: 'j_doesnotexist' }));
		expect(run.response.statusCode).toBe(200);
		expect(run.result.noWebhookResponse).toBe(true);
		expect(run.rows).toEqual([
			{
				error: 'Snapshot "j_doesnotexist" does not exist or has expired (404)',
				description: expect.stringContaining('16 days'),
				snapshot_id: 'j_doesnotexist',
				notification: { collection_id: 'j_doesnotexist' },
			},
		]);
	});

	test('a snapshot that never gets ready: an error item after the bounded wait', async () => {
		const emulator = emulated.current();
		const id = await trigger(emulator, 'c_stuck05', inputs);
		const run = await runWebhook(request({ collection_id: id }));
		expect(run.rows).toEqual([
			expect.objectContaining({ error: expect.stringMatching(new RegExp(`^Snapshot "${id}" is still (building|collecting) after the job-finished notification$`)) }),
		]);
	});

	test('an empty dataset: no execution by default, or one item with count 0', async () => {
		const id = await finishedJob('c_empty13', inputs.slice(0, 1));
		const skipped = await runWebhook(request({ collection_id: id }));
		expect(skipped.result).toEqual({ noWebhookResponse: true });
		expect(skipped.response.statusCode).toBe(200);

		const item = await runWebhook(request({ collection_id: id }, { options: { onNoRows: 'item' } }));
		expect(item.rows).toEqual([{ count: 0, snapshot_id: id, notification: { collection_id: id } }]);
	});

	test('the API token travels only in the Authorization header', async () => {
		const emulator = emulated.current();
		const id = await finishedJob();
		const before = emulator.requests.length;
		await runWebhook(request({ collection_id: id }));
		const sent = emulator.requests.slice(before);
		expect(sent.map(({ method, path, query }) => ({ method, path, query }))).toEqual([
			{ method: 'GET', path: '/dca/dataset', query: { id, format: 'json' } },
		]);
		expect(JSON.stringify(sent)).not.toContain(emulator.token);
	});
});

describe('answering after fetching', () => {
	const after = { options: { respond: 'afterFetch' } };

	test('the node writes no answer itself: n8n answers once the rows are there', async () => {
		const id = await finishedJob();
		const run = await runWebhook(request({ collection_id: id }, after));
		expect(run.events).toEqual(['GET /dca/dataset']);
		expect(run.response.statusCode).toBeUndefined();
		expect(run.result.noWebhookResponse).toBeUndefined();
		expect(run.rows).toHaveLength(2);
	});

	test('an empty dataset gives n8n an answer and starts nothing', async () => {
		const id = await finishedJob('c_empty13', inputs.slice(0, 1));
		const run = await runWebhook(request({ collection_id: id }, after));
		expect(run.result).toEqual({ webhookResponse: { received: true, rows: 0 } });
	});

	test('a failed fetch fails the webhook (n8n answers 500 and records the error)', async () => {
		const missing = runWebhook(request({ collection_id: 'j_doesnotexist' }, after));
		await expect(missing).rejects.toThrow(NodeApiError);
		await expect(missing).rejects.toMatchObject({ message: 'Snapshot "j_doesnotexist" does not exist or has expired (404)' });

		const id = await trigger(emulated.current(), 'c_stuck05', inputs);
		await expect(runWebhook(request({ collection_id: id }, after))).rejects.toThrow(NodeOperationError);
	});
});

describe('Max Rows and Max Body Size bound the fetched dataset too', () => {
	const threeInputs = [...inputs, { url: 'https://example.com/product/3' }];
	const fetches = (id: string) => emulated.current().requests.filter(({ path, query }) => path === '/dca/dataset' && query.id === id);

	test('up to Max Rows the rows come out; one more fails the fetch once, naming the option, with no rows', async () => {
		const id = await finishedJob('c_products01', threeInputs);
		expect((await runWebhook(request({ collection_id: id }, { options: { maxRows: 3 } }))).rows).toHaveLength(3);

		const refused = runWebhook(request({ collection_id: id }, { options: { respond: 'afterFetch', maxRows: 2 } }));
		await expect(refused).rejects.toThrow(NodeOperationError);
		await expect(refused).rejects.toMatchObject({
			message: `Snapshot "${id}" holds more than 2 rows, the limit set in the trigger node's "Max Rows" option`,
			description: expect.stringContaining('Get Dataset operation and Output: File'),
		});
		expect(fetches(id)).toHaveLength(2);
	});

	test('a dataset larger than Max Body Size: reading stops there; answered first, the error is the item', async () => {
		const emulator = emulated.current();
		const id = await finishedJob();
		emulator.injectFault({ method: 'GET', path: '/dca/dataset', kind: 'huge', bytes: 3 * 1024 * 1024 });
		const run = await runWebhook(request({ collection_id: id }, { options: { maxBodyMb: 1 } }));
		expect(run.events).toEqual(['respond 200', 'GET /dca/dataset']);
		expect(run.rows).toEqual([
			expect.objectContaining({
				error: `Snapshot "${id}" is larger than 1 MB, the limit set in the trigger node's "Max Body Size (MB)" option`,
				snapshot_id: id,
			}),
		]);
		expect(fetches(id)).toHaveLength(1);
	});
});
