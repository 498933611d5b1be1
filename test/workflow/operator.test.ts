/**
 * What an operator has when a run goes wrong: the node's lines in n8n's log (info: a job started,
 * a snapshot ready or given up; debug: every status check and Bright Data's "try again" hint),
 * and the snapshot IDs in the execution's custom data, set as soon as each trigger is accepted.
 * No line carries the API token or a delivery secret.
 */
import { inspect } from 'node:util';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { JOBS_KEY, MAX_VALUE_LENGTH, SNAPSHOT_IDS_KEY } from '../../nodes/BrightDataScraperStudio/records/customData';
import { useEmulator } from '../harness/emulator';
import { getDataset, trigger, triggerAndWait } from '../harness/params';
import { callResumeWebhook, EXECUTION_ID, runScraper, runWorkflow, scraperWorkflow, type RunResult } from '../harness/workflow';
import { recordN8nLogs, type LogRecord } from '../reliability/helpers';

const TOKEN = 'tok_live_operator_9d8c7b6a5f4e3d2c1b0a';
const SFTP_PASSWORD = 'sftp-Operator-Pa55word!#';
const emulator = useEmulator({ token: TOKEN });
const api = () => emulator.current();
const run = (parameters: INodeParameters, items: IDataObject[], extra: Partial<Parameters<typeof runScraper>[2]> = {}) =>
	runScraper(parameters, items, { baseUrl: api().url, token: TOKEN, ...extra });

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });
const sftp = { deliver: { type: 'sftp' } };
const sftpCredential = { brightDataScraperStudioSftpApi: { host: 'sftp.example.com', port: 22, username: 'bd', password: SFTP_PASSWORD } };

let logs: ReturnType<typeof recordN8nLogs>;
beforeAll(() => {
	logs = recordN8nLogs();
});
afterAll(() => logs.restore());

/** The node's own lines (they start with "Bright Data:") logged since `from`. */
const nodeLines = (from: number) =>
	logs.records
		.slice(from)
		.filter(({ source, message }) => source === 'Logger' && String(message).startsWith('Bright Data:'))
		.map(({ level, message, meta }) => ({ level, message: String(message), meta: meta as IDataObject }));

const customData = (result: RunResult) => result.run.data.resultData.metadata ?? {};

describe('log lines for operators', () => {
	test('Trigger and Wait: info when the job starts and when it is ready, debug for every status check with its hint', async () => {
		const from = logs.records.length;

		// A job that runs until the test ends it, after a status check found it running. At timeScale
		// 1000 the default 900 s Timeout is 0.9 real seconds: too short on a busy machine.
		const jobs = api().jobs.length;
		const running = run(
			triggerAndWait('c_stuck05', { delivery: sftp, options: { pollInterval: 1, timeout: 86_400 } }),
			[product('speaker'), product('fail-lamp')],
			{ credentials: sftpCredential },
		);
		while (!api().requests.some(({ path, query, status }) => path === '/dca/dataset' && query.id === api().jobs[jobs]?.id && status === 202)) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		api().finish(api().jobs[jobs].id);
		const result = await running;

		expect(result.status).toBe('success');
		const [job] = api().jobs.slice(-1);
		const lines = nodeLines(from);
		const info = lines.filter(({ level }) => level === 'info');
		expect(info.map(({ message }) => message)).toEqual([
			`Bright Data: job started, snapshot ${job.id} (collector c_stuck05, 2 inputs; node "Scraper", execution ${EXECUTION_ID})`,
			expect.stringMatching(
				new RegExp(`^Bright Data: snapshot ${job.id} ready: 2 rows \\(1 failed input\\) after \\d+ s and \\d+ status checks? \\(node "Scraper", execution ${EXECUTION_ID}\\)$`),
			),
		]);
		expect(info[0].meta).toMatchObject({ snapshotId: job.id, collector: 'c_stuck05', inputs: 2, executionId: EXECUTION_ID, node: 'Scraper' });
		expect(info[1].meta).toMatchObject({ snapshotId: job.id, rows: 2, failed: 1 });

		// Every status check that found the job running is a debug line with Bright Data's hint.
		const checks = lines.filter(({ level }) => level === 'debug');
		const pendingPolls = api().requests.filter(({ path, query, status }) => path === '/dca/dataset' && query.id === job.id && status === 202);
		expect(checks).toHaveLength(pendingPolls.length);
		expect(checks.length).toBeGreaterThan(0);
		checks.forEach(({ message, meta }, n) => {
			expect(message).toMatch(
				new RegExp(`^Bright Data: snapshot ${job.id} not ready: \\w+ \\(status check ${n + 1}, Bright Data says try again in \\d+ s; node "Scraper"`),
			);
			expect(meta).toMatchObject({ snapshotId: job.id, check: n + 1, retryInSeconds: expect.any(Number) });
		});
		expect(info[1].meta.checks).toBe(checks.length + 1);
	});

	test('given up: timeout (job left running), timeout with cancel, stopped execution, failed job', async () => {
		const from = logs.records.length;
		const stuck = await run(trigger('c_stuck05'), [product('stuck')]);
		const stuckId = String(stuck.items[0].json.snapshot_id);
		const failing = await run(trigger('c_failing07'), [product('x')]);
		const failingId = String(failing.items[0].json.snapshot_id);
		api().finish(failingId);
		const waitFor = (options: IDataObject) => ({ ...getDataset('={{ $json.snapshot_id }}'), waitUntilReady: true, options: { pollInterval: 1, ...options } });

		await run(waitFor({ timeout: 3, onTimeout: 'output' }), [{ snapshot_id: stuckId }]);
		await run(waitFor({ timeout: 3, onTimeout: 'error' }), [{ snapshot_id: stuckId }]);
		const checks = api().requests.length;
		const checked = () => api().requests.slice(checks).some(({ path, query }) => path === '/dca/dataset' && query.id === stuckId);
		await run(waitFor({ timeout: 86400 }), [{ snapshot_id: stuckId }], { cancelWhen: checked });
		await run(waitFor({ timeout: 86400 }), [{ snapshot_id: failingId }]);
		// Only Trigger and Wait cancels on timeout: the job must be one the node started.
		const cancelled = await run(triggerAndWait('c_stuck05', { options: { timeout: 3, pollInterval: 1, onTimeout: 'cancel' } }), [product('stuck')]);
		const cancelledId = /Snapshot "(j_\w+)"/.exec(cancelled.error?.message ?? '')?.[1] ?? '';

		const gaveUp = nodeLines(from).filter(({ message }) => message.includes('stopped waiting'));
		expect(gaveUp.map(({ level, message }) => [level, message])).toEqual([
			['info', expect.stringMatching(new RegExp(`^Bright Data: stopped waiting for snapshot ${stuckId}: not ready within the timeout \\(status \\w+ after 3 s and \\d+ status checks?; its snapshot ID is output`))],
			['info', expect.stringMatching(new RegExp(`^Bright Data: stopped waiting for snapshot ${stuckId}: not ready within the timeout \\(.*; the job goes on at Bright Data;`))],
			['info', expect.stringMatching(new RegExp(`^Bright Data: stopped waiting for snapshot ${stuckId}: the execution was stopped \\(`))],
			['info', expect.stringMatching(new RegExp(`^Bright Data: stopped waiting for snapshot ${failingId}: the wait failed \\(Job "${failingId}" failed at Bright Data`))],
			['info', expect.stringMatching(new RegExp(`^Bright Data: stopped waiting for snapshot ${cancelledId}: not ready within the timeout; the job was cancelled at Bright Data \\(`))],
		]);
		expect(gaveUp.map(({ meta }) => meta.reason)).toEqual(['timeout', 'timeout', 'stopped', 'error', 'cancelled']);
	});

	test('Resume on Notification: info when the execution parks and when the notification resumes it', async () => {
		const from = logs.records.length;
		const definition = scraperWorkflow(triggerAndWait('c_stuck05', { waitMode: 'notification' }), [product('speaker'), product('fail-lamp')]);
		const waiting = await runWorkflow(definition, { baseUrl: api().url, token: TOKEN });
		const [job] = api().jobs.slice(-1);
		api().finish(job.id);
		const endpoint = new URL(String((job.options.notify as { endpoint: string }).endpoint));

		const answer = await callResumeWebhook(
			definition,
			waiting.run,
			{ query: Object.fromEntries(endpoint.searchParams.entries()), body: { collection_id: job.id } },
			{ baseUrl: api().url, token: TOKEN },
		);

		expect([waiting.status, answer.resumed?.status]).toEqual(['waiting', 'success']);
		expect(nodeLines(from).map(({ level, message }) => [level, message])).toEqual([
			['info', expect.stringContaining(`Bright Data: job started, snapshot ${job.id} (collector c_stuck05, 2 inputs;`)],
			['info', expect.stringMatching(new RegExp(`^Bright Data: waiting for Bright Data's notification for snapshot ${job.id} until \\d{4}-.*Z, the execution parked \\(node "Scraper"`))],
			['info', expect.stringMatching(new RegExp(`^Bright Data: snapshot ${job.id} ready: 2 rows \\(1 failed input\\), resumed by Bright Data's notification \\(node "Scraper"`))],
		]);
	});

	test('no line at any level, of the node or of n8n, carries the token or a delivery password', async () => {
		const from = logs.records.length;
		api().injectFault({ path: '/dca/dataset', kind: 'status', status: 503, times: 1 });
		await run(triggerAndWait('c_products01', { delivery: sftp }), [product('speaker')], { credentials: sftpCredential });
		await run(triggerAndWait('c_stuck05', { delivery: sftp, options: { timeout: 3, pollInterval: 1 } }), [product('stuck')], { credentials: sftpCredential });

		const records: LogRecord[] = logs.records.slice(from);
		expect(nodeLines(from).length).toBeGreaterThan(3);
		const text = records.map((record) => inspect(record, { depth: 12, breakLength: Infinity })).join('\n');
		expect([TOKEN, SFTP_PASSWORD].filter((secret) => text.includes(secret))).toEqual([]);
	});
});

describe("snapshot IDs in the execution's custom data", () => {
	test('every job the execution started, in order, with their number', async () => {
		const result = await run(trigger('c_products01', { options: { inputsPerJob: 1 } }), [product('a'), product('b'), product('c')]);

		const ids = result.items.map(({ json }) => String(json.snapshot_id));
		expect(ids).toHaveLength(3);
		expect(customData(result)).toEqual({ [JOBS_KEY]: '3', [SNAPSHOT_IDS_KEY]: ids.join(',') });
	});

	test('more jobs than fit in a value: the count, and as many of the first IDs as fit in 255 characters', async () => {
		const items = Array.from({ length: 40 }, (_, n) => product(`p${n}`));
		const result = await run(trigger('c_products01', { options: { inputsPerJob: 1 } }), items);

		const ids = result.items.map(({ json }) => String(json.snapshot_id));
		const listed = String(customData(result)[SNAPSHOT_IDS_KEY]).split(',');
		expect(customData(result)[JOBS_KEY]).toBe('40');
		expect(listed).toEqual(ids.slice(0, listed.length));
		expect(listed.join(',').length).toBeLessThanOrEqual(MAX_VALUE_LENGTH);
		expect([...listed, ids[listed.length]].join(',').length).toBeGreaterThan(MAX_VALUE_LENGTH);
	});

	test('a rerun is a new billed job: logged and recorded too', async () => {
		const first = await run(trigger('c_products01'), [product('a')]);
		const rerunOf = String(first.items[0].json.snapshot_id);
		api().finish(rerunOf);
		const from = logs.records.length;

		const result = await run({ resource: 'job', operation: 'rerun', snapshotId: rerunOf }, [{}]);

		const newId = String(result.items[0].json.snapshot_id);
		expect(newId).not.toBe(rerunOf);
		expect(customData(result)).toEqual({ [JOBS_KEY]: '1', [SNAPSHOT_IDS_KEY]: newId });
		expect(nodeLines(from).map(({ level, message }) => [level, message])).toEqual([
			['info', `Bright Data: job started, snapshot ${newId} (rerun of ${rerunOf}; node "Scraper", execution ${EXECUTION_ID})`],
		]);
	});

	test('set when the trigger is accepted: still there when the wait then fails', async () => {
		const result = await run(triggerAndWait('c_stuck05', { options: { timeout: 3, pollInterval: 1 } }), [product('stuck')]);

		expect(result.status).toBe('error');
		const [job] = api().jobs.slice(-1);
		expect(customData(result)).toEqual({ [JOBS_KEY]: '1', [SNAPSHOT_IDS_KEY]: job.id });
	});
});
