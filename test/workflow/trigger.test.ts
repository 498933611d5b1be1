import type { IDataObject } from 'n8n-workflow';

import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { trigger } from '../harness/params';
import { runScraper, TEST_TOKEN } from '../harness/workflow';

const nock = useNock();
beforeAll(() => (timing.msPerSecond = 1));

const products = [{ url: 'https://shop/a' }, { url: 'https://shop/b' }, { url: 'https://shop/c' }];

describe('Trigger', () => {
	test('one POST carries the inputs of all items; one item per job', async () => {
		const api = nock(API)
			.matchHeader('authorization', `Bearer ${TEST_TOKEN}`)
			.post('/dca/trigger', products)
			.query({ collector: 'c_products', queue_next: '1' })
			.reply(200, { collection_id: 'j_abc', start_eta: '2026-11-28T10:00:00Z' });

		const { status, items } = await runScraper(trigger('c_products'), products, { baseUrl: API });

		expect(status).toBe('success');
		expect(api.isDone()).toBe(true);
		expect(items).toEqual([
			{
				json: {
					snapshot_id: 'j_abc',
					collector: 'c_products',
					inputs: 3,
					start_eta: '2026-11-28T10:00:00Z',
				},
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
	});

	test('more inputs than Inputs per Job start several jobs', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/dca/trigger', (body) => bodies.push(body) > 0)
			.query(true)
			.times(2)
			.reply(200, () => ({ collection_id: `j_${bodies.length}` }));

		const { items } = await runScraper(trigger('c_products', { options: { inputsPerJob: 2 } }), products, { baseUrl: API });

		expect(bodies).toEqual([products.slice(0, 2), products.slice(2)]);
		expect(items.map(({ json, pairedItem }) => [json.snapshot_id, json.inputs, pairedItem])).toEqual([
			['j_1', 2, [{ item: 0 }, { item: 1 }]],
			['j_2', 1, [{ item: 2 }]],
		]);
	});

	test('Selected Fields sends only the named fields; Queue Next off sends queue_next=0', async () => {
		const api = nock(API)
			.post('/dca/trigger', [{ url: 'https://shop/a', country: 'US' }])
			.query({ collector: 'c_products', queue_next: '0' })
			.reply(200, { collection_id: 'j_sel' });

		await runScraper(
			trigger('c_products', { fieldsToSend: 'selected', inputFields: 'url, country', options: { queueNext: false } }),
			[{ url: 'https://shop/a', country: 'US', rowNumber: 7, sheet: 'Leads' }],
			{ baseUrl: API },
		);

		expect(api.isDone()).toBe(true);
	});

	test('Selected Fields sends a field named __proto__ as a field, not dropped', async () => {
		let sent = '';
		const api = nock(API)
			.post('/dca/trigger', (body: unknown) => ((sent = JSON.stringify(body)), true))
			.query(true)
			.reply(200, { collection_id: 'j_proto' });
		// An item as n8n gets it from JSON (JSON.parse makes "__proto__" an own field).
		const item = JSON.parse('{"url": "https://shop/a", "__proto__": "kept", "other": 1}') as IDataObject;

		const { status } = await runScraper(trigger('c_products', { fieldsToSend: 'selected', inputFields: 'url, __proto__' }), [item], { baseUrl: API });

		expect(status).toBe('success');
		expect(api.isDone()).toBe(true);
		expect(sent).toBe('[{"url":"https://shop/a","__proto__":"kept"}]');
	});

	test('JSON input source sends the array given', async () => {
		const inputs = [{ keyword: 'shoes', country: 'DE' }, { keyword: 'socks' }];
		const api = nock(API).post('/dca/trigger', inputs).query(true).reply(200, { collection_id: 'j_json' });

		const { items } = await runScraper(
			trigger('c_search', { inputSource: 'json', inputs: JSON.stringify(inputs) }),
			[{}],
			{ baseUrl: API },
		);

		expect(api.isDone()).toBe(true);
		expect(items[0].json).toMatchObject({ snapshot_id: 'j_json', inputs: 2 });
	});

	test('parameters with expressions are read per item: a collector and a job name from each item', async () => {
		const calls: Array<{ collector: string; name: string; body: unknown }> = [];
		nock(API)
			.post('/dca/trigger', (body) => Boolean(body))
			.query(true)
			.times(2)
			.reply(200, function (this: { req: { path: string } }, _uri, body) {
				const query = new URL(this.req.path, API).searchParams;
				calls.push({ collector: query.get('collector')!, name: query.get('name')!, body });
				return { collection_id: `j_${calls.length}` };
			});
		const items = [
			{ url: 'https://shop/a', collector: 'c_one', job: 'first' },
			{ url: 'https://shop/b', collector: 'c_two', job: 'second' },
			{ url: 'https://shop/c', collector: 'c_one', job: 'first' },
		];

		await runScraper(
			trigger('={{ $json.collector }}', {
				fieldsToSend: 'selected',
				inputFields: 'url',
				options: { jobName: '={{ $json.job }}', queueNext: false },
			}),
			items,
			{ baseUrl: API },
		);

		expect(calls).toEqual([
			{ collector: 'c_one', name: 'first', body: [{ url: 'https://shop/a' }, { url: 'https://shop/c' }] },
			{ collector: 'c_two', name: 'second', body: [{ url: 'https://shop/b' }] },
		]);
	});

	test('a 2xx answer without collection_id is an error, not a retry', async () => {
		const api = nock(API).post('/dca/trigger').query(true).once().reply(200, { ok: true });

		const { status, error } = await runScraper(trigger('c_products'), products, { baseUrl: API });

		expect(api.isDone()).toBe(true);
		expect(status).toBe('error');
		expect(error?.message).toContain('sent no collection_id');
	});
});
