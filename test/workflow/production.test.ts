/** Trigger and Wait and Get Dataset options for production jobs: failed inputs, output modes, timeouts, delivery. */
import { timing } from '../../nodes/shared/timing';
import { API, useNock } from '../harness/nock';
import { getDataset, trigger, triggerAndWait } from '../harness/params';
import { runScraper, runWorkflow, scraperWorkflow, SCRAPER } from '../harness/workflow';

const S3_CREDENTIAL = { brightDataScraperStudioS3Api: { accessKeyId: 'AKIA1234567890ABCDEF', secretAccessKey: 'hunter2-secret' } };

const nock = useNock();
beforeEach(() => (timing.msPerSecond = 1));

const urls = ['https://shop/a', 'https://shop/dead', 'https://shop/c'];
const items = urls.map((url) => ({ url }));
const rows = [
	{ title: 'A', price: 1, input: { url: urls[0] } },
	{ input: { url: urls[1] }, error: 'Page not found', error_code: 'dead_page', status_code: 404 },
	{ title: 'C', price: 3, input: { url: urls[2] } },
];
const readyJob = (id = 'j_1', body: unknown = rows) => {
	nock(API).post('/dca/trigger').query(true).reply(200, { collection_id: id });
	nock(API).get('/dca/dataset').query({ id, format: 'json' }).reply(200, body as object);
};

describe('failed inputs', () => {
	test('by default go to the "Failed" output, linked to their item, with a hint counting them', async () => {
		readyJob();

		const result = await runScraper(triggerAndWait('c_products'), items, { baseUrl: API });
		const [main, failed] = result.outputOf(SCRAPER);

		expect(main.map(({ json, pairedItem }) => [json.title, pairedItem])).toEqual([
			['A', { item: 0 }],
			['C', { item: 2 }],
		]);
		expect(failed).toEqual([{ json: rows[1], pairedItem: { item: 1 } }]);
		const hints = result.run.data.resultData.runData[SCRAPER][0].hints ?? [];
		expect(hints.map(({ message }) => message).join()).toContain('1 of 3 inputs failed');
	});

	test('can stay in the main output, or be dropped', async () => {
		readyJob();
		const kept = await runScraper(triggerAndWait('c_products', { options: { failedRows: 'main' } }), items, { baseUrl: API });
		expect(kept.outputOf(SCRAPER)).toHaveLength(1);
		expect(kept.items.map(({ json }) => json.error_code ?? json.title)).toEqual(['A', 'dead_page', 'C']);

		readyJob();
		const dropped = await runScraper(triggerAndWait('c_products', { options: { failedRows: 'drop' } }), items, { baseUrl: API });
		expect(dropped.outputOf(SCRAPER)).toHaveLength(1);
		expect(dropped.items.map(({ json }) => json.title)).toEqual(['A', 'C']);
	});

	test('Get Dataset keeps them in the main output unless asked', async () => {
		nock(API).get('/dca/dataset').query(true).twice().reply(200, rows);

		const kept = await runScraper(getDataset('j_1'), [{}], { baseUrl: API });
		expect(kept.outputOf(SCRAPER)).toHaveLength(1);
		expect(kept.items).toHaveLength(3);

		const split = await runScraper({ ...getDataset('j_1'), options: { failedRows: 'separate' } }, [{}], { baseUrl: API });
		expect(split.outputOf(SCRAPER).map((output) => output.length)).toEqual([2, 1]);
	});
});

describe('output modes', () => {
	test('one item with all rows', async () => {
		readyJob();

		const { items: out } = await runScraper(triggerAndWait('c_products', { outputMode: 'allRows' }), items, { baseUrl: API });

		expect(out).toEqual([
			{
				json: { snapshot_id: 'j_1', count: 2, rows: [rows[0], rows[2]] },
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
	});

	test.each([
		['json', 'application/json', (text: string) => JSON.parse(text).map((row: { title: string }) => row.title)],
		['ndjson', 'application/x-ndjson', (text: string) => text.trim().split('\n').map((line) => JSON.parse(line).title)],
		['csv', 'text/csv', (text: string) => text.trim().split('\n').map((line) => line.split(',')[0])],
	])('a %s file', async (format, mimeType, titles) => {
		readyJob();

		const { items: out } = await runScraper(
			triggerAndWait('c_products', { outputMode: 'file', fileFormat: format, binaryPropertyName: 'scrape' }),
			items,
			{ baseUrl: API },
		);

		expect(out).toHaveLength(1);
		expect(out[0].json).toEqual({ snapshot_id: 'j_1', count: 2, format });
		const file = out[0].binary!.scrape;
		expect(file).toMatchObject({ mimeType, fileName: `j_1.${format}` });
		const text = Buffer.from(file.data, 'base64').toString('utf8');
		expect(titles(text)).toEqual(format === 'csv' ? ['title', 'A', 'C'] : ['A', 'C']);
	});

	test('CSV quotes commas, quotes and nested values', async () => {
		readyJob('j_1', [{ name: 'Ada, "the" first', tags: ['x', 'y'], input: { url: 'u' } }]);

		const { items: out } = await runScraper(triggerAndWait('c_products', { outputMode: 'file', fileFormat: 'csv' }), [{ url: 'u' }], {
			baseUrl: API,
		});

		const text = Buffer.from(out[0].binary!.data.data, 'base64').toString('utf8');
		expect(text).toBe('name,tags,input\n"Ada, ""the"" first","[""x"",""y""]","{""url"":""u""}"\n');
	});

	test('Row Limit keeps the first rows in input order', async () => {
		readyJob('j_1', [rows[2], rows[0]]);

		const { items: out } = await runScraper(triggerAndWait('c_products', { options: { rowLimit: 1 } }), items, { baseUrl: API });

		expect(out.map(({ json }) => json.title)).toEqual(['A']);
	});
});

describe('timeout policies', () => {
	const slowJob = (id: string) => {
		nock(API).post('/dca/trigger').query(true).reply(200, { collection_id: id });
		nock(API).get('/dca/dataset').query({ id, format: 'json' }).times(100).reply(202, { status: 'building' });
	};

	test('"Output the Snapshot ID" outputs one item to collect later', async () => {
		slowJob('j_slow');

		const { status, items: out } = await runScraper(
			triggerAndWait('c_products', { options: { timeout: 5, onTimeout: 'output' } }),
			items,
			{ baseUrl: API },
		);

		expect(status).toBe('success');
		expect(out).toEqual([
			{
				json: { snapshot_id: 'j_slow', ready: false, timed_out: true, status: 'building', waited_seconds: expect.any(Number) },
				pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }],
			},
		]);
	});

	test('"Cancel the Job and Fail" cancels the job, then fails naming it', async () => {
		slowJob('j_slow');
		const cancel = nock(API).post('/dca/jobs/j_slow/cancel').reply(200, 'OK', { 'content-type': 'text/plain' });

		const { error } = await runScraper(triggerAndWait('c_products', { options: { timeout: 5, onTimeout: 'cancel' } }), items, {
			baseUrl: API,
		});

		expect(cancel.isDone()).toBe(true);
		expect(error?.message).toBe('Snapshot "j_slow" was not ready after 5 s (status: building); the job was cancelled');
	});

	test('"Cancel the Job If the Execution Is Stopped" cancels the remote job when the execution is stopped', async () => {
		timing.msPerSecond = 1000;
		slowJob('j_stop');
		const cancel = nock(API).post('/dca/jobs/j_stop/cancel').reply(200, 'OK');

		const result = await runScraper(triggerAndWait('c_products', { options: { cancelOnStop: true } }), items, {
			baseUrl: API,
			cancelAfterMs: 200,
		});

		expect(result.status).toBe('canceled');
		expect(cancel.isDone()).toBe(true);
	});

	test('without it, stopping leaves the job running', async () => {
		timing.msPerSecond = 1000;
		slowJob('j_keep');
		const cancel = nock(API).post('/dca/jobs/j_keep/cancel').reply(200, 'OK');

		const result = await runScraper(triggerAndWait('c_products'), items, { baseUrl: API, cancelAfterMs: 200 });

		expect(result.status).toBe('canceled');
		expect(cancel.isDone()).toBe(false);
	});
});

describe('trigger options', () => {
	test('are sent as the API names them, delivery as JSON', async () => {
		let query: Record<string, string> = {};
		nock(API)
			.post('/dca/trigger')
			.query((q) => ((query = q as Record<string, string>), true))
			.reply(200, { collection_id: 'j_1' });

		await runScraper(
			trigger('c_products', {
				options: {
					jobName: 'Nightly prices',
					queue: 'nightly',
					useDevVersion: true,
					deadline: '30m',
					downloadMedia: false,
					confirmCancel: false,
					queueNext: false,
				},
				delivery: {
					notify: { type: 'webhook', endpoint: 'https://n8n.example.com/webhook/done' },
					deliver: { type: 's3', bucket: 'scrapes', region: 'eu-west-1', directory: 'daily', extension: 'csv' },
				},
			}),
			items,
			{ baseUrl: API, credentials: S3_CREDENTIAL },
		);

		expect(query).toMatchObject({
			collector: 'c_products',
			queue_next: '0',
			name: 'Nightly prices',
			queue: 'nightly',
			version: 'dev',
			deadline: '30m',
			no_downloads: '1',
			confirm_cancel: '0',
		});
		expect(JSON.parse(query.notify)).toEqual({ type: 'webhook', endpoint: 'https://n8n.example.com/webhook/done' });
		expect(JSON.parse(query.deliver)).toEqual({
			type: 's3',
			bucket: 'scrapes',
			region: 'eu-west-1',
			directory: 'daily',
			credentials: { 'aws-access-key': 'AKIA1234567890ABCDEF', 'aws-secret-key': 'hunter2-secret' },
			filename: { extension: 'csv' },
			delivery_type: 'deliver_results',
		});
	});

	test('a delivery credential\'s secret never reaches an output item or error', async () => {
		nock(API).post('/dca/trigger').query(true).reply(422, { error: 'Invalid deliver: {"aws-secret-key":"hunter2-secret"}' });

		const result = await runScraper(
			trigger('c_products', { delivery: { deliver: { type: 's3', bucket: 'b' } } }),
			items,
			{ baseUrl: API, continueOnFail: true, credentials: S3_CREDENTIAL },
		);

		expect(result.items[0].json.description).toContain('[redacted]');
		expect(JSON.stringify(result.run)).not.toContain('hunter2-secret');
	});

	test('bad option values fail before any request', async () => {
		const bad = await runScraper(trigger('c_products', { options: { deadline: 'tomorrow' } }), items, { baseUrl: API });
		expect(bad.error?.message).toBe('Deadline "tomorrow" is not a duration like 45s, 30m, 1h or 2d');

		const badUrl = await runScraper(trigger('c_products', { delivery: { notify: { type: 'webhook', endpoint: 'ftp://x' } } }), items, {
			baseUrl: API,
		});
		expect(badUrl.error?.message).toBe('Notify webhook URL must be an http(s) URL (got "ftp://x")');
	});
});

test('the node shows a "Failed" output only when failed inputs go there', async () => {
	readyJob();
	const definition = scraperWorkflow(triggerAndWait('c_products'), items);
	const result = await runWorkflow(definition, { baseUrl: API });
	expect(result.outputOf(SCRAPER)).toHaveLength(2);
});
