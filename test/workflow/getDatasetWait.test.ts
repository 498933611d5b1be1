/**
 * Get Dataset → Wait Until Ready on the emulator (1 emulated second = 1 ms): the snapshot each
 * item names is waited for with Trigger and Wait's loop, its rows linked to that item, and
 * On Timeout applies as in Trigger and Wait. Get Dataset never starts a job.
 */
import type { IDataObject, INodeParameters, INodeProperties } from 'n8n-workflow';

import { useEmulator } from '../harness/emulator';
import { getDataset, trigger } from '../harness/params';
import { NODE_TYPE, nodeTypeOf, runScraper, SCRAPER } from '../harness/workflow';

const emulator = useEmulator();
const api = () => emulator.current();
const run = (parameters: INodeParameters, items: IDataObject[], extra: { continueOnFail?: boolean } = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: api().token, ...extra });

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });

/** Starts a job with the node's Trigger operation; its snapshot ID. */
async function startJob(collector: string, inputs: IDataObject[]): Promise<string> {
	const { items, status } = await run(trigger(collector), inputs);
	expect(status).toBe('success');
	return String(items[0].json.snapshot_id);
}

/** Get Dataset with Wait Until Ready on the snapshot each item names; a test's own timeout, else the largest. */
const waitingGetDataset = (options: IDataObject = {}, extra: INodeParameters = {}): INodeParameters => ({
	...getDataset('={{ $json.snapshot_id }}'),
	waitUntilReady: true,
	...extra,
	options: { timeout: 86400, ...options },
});

const datasetRequests = (snapshotId: string) =>
	api().requests.filter(({ path, query }) => path === '/dca/dataset' && query.id === snapshotId);
const triggers = () => api().count('POST', '/dca/trigger');
const cancels = (snapshotId: string) => api().count('POST', `/dca/jobs/${snapshotId}/cancel`);

/** Resolves once `check` holds (checked every 5 ms). */
async function waitUntil(check: () => boolean): Promise<void> {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Get Dataset → Wait Until Ready', () => {
	test('waits for the snapshot each item names and links its rows to that item; starts no job', async () => {
		// A job that runs until the test ends it, once Get Dataset has found it not ready.
		const slow = await startJob('c_stuck05', [product('speaker'), product('fail-lamp')]);
		const quick = await startJob('c_products01', [product('desk')]);
		api().finish(quick);
		const before = triggers();

		const running = run(waitingGetDataset({ failedRows: 'separate', pollInterval: 1 }), [
			{ snapshot_id: quick, label: 'quick' },
			{ snapshot_id: slow, label: 'slow' },
		]);
		await waitUntil(() => datasetRequests(slow).some(({ status }) => status === 202));
		api().finish(slow);
		const result = await running;
		const [rows, failed] = result.outputOf(SCRAPER);

		expect(result.status).toBe('success');
		expect(rows.map(({ json, pairedItem }) => [json.input, pairedItem])).toEqual([
			[product('desk'), { item: 0 }],
			[product('speaker'), { item: 1 }],
		]);
		expect(failed.map(({ json, pairedItem }) => [json.input, json.error_code, pairedItem])).toEqual([
			[product('fail-lamp'), expect.any(String), { item: 1 }],
		]);
		expect(triggers()).toBe(before);
		// It waited: the slow snapshot answered "not ready" (202) before it answered its rows.
		const statuses = datasetRequests(slow).map(({ status }) => status);
		expect(statuses).toContain(202);
		expect(statuses.at(-1)).toBe(200);
	});

	test('off by default: a snapshot still being built gives one status item, after one request', async () => {
		const slow = await startJob('c_stuck05', [product('speaker')]);

		const result = await run(getDataset('={{ $json.snapshot_id }}'), [{ snapshot_id: slow }]);

		expect(result.items).toEqual([
			{
				json: { snapshot_id: slow, ready: false, status: expect.stringMatching(/^(building|collecting)$/), message: expect.any(String) },
				pairedItem: { item: 0 },
			},
		]);
		expect(datasetRequests(slow)).toHaveLength(1);
	});

	test('One Item With All Rows: one item per snapshot, linked to the item that named it', async () => {
		const first = await startJob('c_products01', [product('a'), product('b')]);
		const second = await startJob('c_products01', [product('c')]);

		const result = await run(waitingGetDataset({}, { outputMode: 'allRows' }), [{ snapshot_id: first }, { snapshot_id: second }]);

		expect(result.items.map(({ json, pairedItem }) => [json.snapshot_id, json.count, pairedItem])).toEqual([
			[first, 2, [{ item: 0 }]],
			[second, 1, [{ item: 1 }]],
		]);
	});

	describe('On Timeout (the timeout covers the whole node)', () => {
		// 300 s is 300 ms here: room for the ready snapshot's requests on a busy machine. The timeout
		// holds for every request, so snapshots are collected in item order until it passes.
		test('Output the Snapshot ID: one timed-out item for that snapshot, linked to its item; an earlier item still gets its rows', async () => {
			const stuck = await startJob('c_stuck05', [product('stuck')]);
			const ready = await startJob('c_products01', [product('desk')]);
			api().finish(ready);

			const result = await run(waitingGetDataset({ timeout: 300, pollInterval: 1, onTimeout: 'output' }), [
				{ snapshot_id: ready },
				{ snapshot_id: stuck },
			]);

			expect(result.status).toBe('success');
			expect(result.items).toEqual([
				{ json: expect.objectContaining({ input: product('desk') }), pairedItem: { item: 0 } },
				{
					json: { snapshot_id: stuck, ready: false, timed_out: true, status: expect.stringMatching(/building|collecting/), waited_seconds: expect.any(Number) },
					pairedItem: [{ item: 1 }],
				},
			]);
			expect(cancels(stuck)).toBe(0);
			expect(api().job(stuck)?.status).not.toBe('cancelled');
		});

		test('Fail: an error naming the snapshot; the job goes on at Bright Data', async () => {
			const stuck = await startJob('c_stuck05', [product('stuck')]);

			const result = await run(waitingGetDataset({ timeout: 5, pollInterval: 1, onTimeout: 'error' }), [{ snapshot_id: stuck }]);

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(new RegExp(`^Snapshot "${stuck}" was not ready after 5 s \\(status: \\w+\\)$`));
			expect(result.error?.description).toContain(`Get Dataset (Wait Until Ready on) and snapshot ID ${stuck}`);
			expect(cancels(stuck)).toBe(0);
			expect(api().job(stuck)?.status).not.toBe('cancelled');
		});

		test('Fail with Continue On Fail: an error item linked to the item, the other items still get their rows', async () => {
			const stuck = await startJob('c_stuck05', [product('stuck')]);
			const ready = await startJob('c_products01', [product('desk')]);
			api().finish(ready);

			const result = await run(waitingGetDataset({ timeout: 300, pollInterval: 1 }), [{ snapshot_id: ready }, { snapshot_id: stuck }], {
				continueOnFail: true,
			});

			expect(result.items.map(({ json, pairedItem }) => [json.input ?? json.error, pairedItem])).toEqual([
				[product('desk'), { item: 0 }],
				[expect.stringContaining(`Snapshot "${stuck}" was not ready`), { item: 1 }],
			]);
		});

		test('Cancel the Job and Fail is refused before any request: Get Dataset did not start the job', async () => {
			const stuck = await startJob('c_stuck05', [product('stuck')]);
			const requests = api().requests.length;

			const result = await run(waitingGetDataset({ timeout: 5, pollInterval: 1, onTimeout: 'cancel' }), [{ snapshot_id: stuck }]);

			expect(result.status).toBe('error');
			expect(result.error?.message).toBe('On Timeout "Cancel the Job and Fail" is not available in Get Dataset');
			expect(api().requests.length).toBe(requests);
			expect(cancels(stuck)).toBe(0);
			expect(api().job(stuck)?.status).not.toBe('cancelled');
		});

		test('the editor offers no "Cancel the Job and Fail" for Get Dataset', () => {
			const { properties } = nodeTypeOf(NODE_TYPE, 2).description;
			const onTimeout = (operation: string) =>
				properties
					.filter(({ name, displayOptions }) => name === 'options' && displayOptions?.show?.operation?.includes(operation))
					.flatMap(({ options }) => (options ?? []) as INodeProperties[])
					.find(({ name }) => name === 'onTimeout');

			expect(onTimeout('getDataset')?.options?.map((choice) => (choice as { value: string }).value)).toEqual(['error', 'output']);
			expect(onTimeout('triggerAndWait')?.options?.map((choice) => (choice as { value: string }).value)).toContain('cancel');
		});
	});

	test('Failed Inputs per item: the outputs follow item 0; an item that picks the "Failed" output without one keeps its failed rows in main', async () => {
		const id = await startJob('c_products01', [product('desk'), product('fail-lamp')]);
		api().finish(id);
		const policyPerItem = (policies: string[]) =>
			run({ ...getDataset('={{ $json.snapshot_id }}'), options: { failedRows: '={{ $json.policy }}' } }, policies.map((policy) => ({ snapshot_id: id, policy })));
		const rowsOf = (items: Array<{ json: IDataObject; pairedItem?: unknown }>) => items.map(({ json, pairedItem }) => [json.input, pairedItem]);

		const oneOutput = await policyPerItem(['drop', 'separate']);
		const twoOutputs = await policyPerItem(['separate', 'main']);

		expect(oneOutput.outputOf(SCRAPER)).toHaveLength(1);
		expect(rowsOf(oneOutput.items)).toEqual([
			[product('desk'), { item: 0 }],
			[product('desk'), { item: 1 }],
			[product('fail-lamp'), { item: 1 }],
		]);
		expect(oneOutput.run.data.resultData.runData[SCRAPER][0].hints?.map(({ message }) => message)).toContainEqual(
			expect.stringContaining('"Send to Failed Output" for item 1, but the node\'s outputs follow the first item'),
		);
		const [rows, failed] = twoOutputs.outputOf(SCRAPER);
		expect(rowsOf(rows)).toEqual([
			[product('desk'), { item: 0 }],
			[product('desk'), { item: 1 }],
			[product('fail-lamp'), { item: 1 }],
		]);
		expect(rowsOf(failed)).toEqual([[product('fail-lamp'), { item: 0 }]]);
	});

	test('bad parameters stop the node before any request', async () => {
		const requests = api().requests.length;

		const badId = await run(waitingGetDataset(), [{ snapshot_id: 'j_fine' }, { snapshot_id: 'c_products01' }]);
		const badTimeout = await run(waitingGetDataset({ timeout: 0 }), [{ snapshot_id: 'j_fine' }]);

		expect(badId.error?.message).toBe('"c_products01" is a collector ID, not a snapshot ID');
		expect(badTimeout.error?.message).toBe('Timeout must be a number from 1 to 86400 (got 0)');
		expect(api().requests.length).toBe(requests);
	});
});
