/**
 * The hub's scenarios, shared by the hub end-to-end test (small) and the hub bench (full size):
 *
 *  - parked: N Resume-on-Notification executions parked at once; their notifications (sent by the
 *    emulator to the webhook process) late, twice, forged, out of order or never; one worker killed
 *    while they wait and restarted while the notifications come in.
 *  - file: one parked execution whose notification brings a File output of `rows` rows, in database
 *    binary mode (the webhook process reads the rows and writes the file).
 *  - deliveries: gzip Rows Delivered calls into the trigger node through the webhook process at a
 *    fixed rate (open loop), some with a forged secret.
 *
 * Each returns its figures and `problems` (empty when everything held).
 */
import { gzipSync } from 'node:zlib';

import { post, waitFor } from './server.mjs';
import { deliveryWorkflow, groupCpuMs, parkWorkflow, percentile, plainWebhookWorkflow, rssSummary, sampleRss } from './hub.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const urlOf = (i, k) => `https://shop.example/product/hub-${i}-${k}`;
const round = (n, d = 0) => Math.round(n * 10 ** d) / 10 ** d;
const ENDED = new Set(['success', 'error', 'crashed', 'canceled']);

/** Runs `fn` over items with at most `limit` at once. */
async function pool(items, limit, fn) {
	const results = new Array(items.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: Math.min(limit, items.length) }, async () => {
			while (next < items.length) {
				const i = next++;
				results[i] = await fn(items[i], i);
			}
		}),
	);
	return results;
}

/** POSTs to a production webhook, retrying while the webhook process does not know it yet (404). */
async function callWebhook(url, body, headers, { timeoutMs = 30_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const answer = await post(url, body, headers);
		if (answer.status !== 404 || Date.now() > deadline) return answer;
		await sleep(250);
	}
}

/** Which fault each of n executions gets: fractions of each kind, spread over the run. */
export function faultPlan(n, fractions) {
	const kinds = [];
	for (const [kind, fraction] of Object.entries(fractions)) for (let j = 0; j < Math.round(n * fraction); j++) kinds.push(kind);
	while (kinds.length < n) kinds.push('normal');
	// A fixed shuffle (multiplicative, coprime step), so the faults are spread and the run repeats.
	const step = [7, 11, 13, 17, 19, 23, 29, 31, 37].find((p) => n % p !== 0) ?? 1;
	return Array.from({ length: n }, (_, i) => kinds[(i * step) % n]);
}

/**
 * @param {object} hub  from startHub()
 * @param {object} emulator
 * @param {{ executions: number, fractions: Record<string, number>, lateMs: number, nodeTimeoutSeconds: number,
 *   streamSeconds: number, killWorker?: boolean, wakeNever?: boolean, parkTimeoutMs?: number, endTimeoutMs?: number, log?: Function }} o
 */
export async function runParkedScenario(hub, emulator, o) {
	const log = o.log ?? (() => {});
	const problems = [];
	const n = o.executions;
	const t0 = Date.now();
	const rss = sampleRss(hub);
	const path = `hub-park-${Date.now()}`;
	const workflowId = await hub.rest.createActiveWorkflow(parkWorkflow({ name: `Hub: ${n} parked`, path, credential: hub.credential, options: { timeout: o.nodeTimeoutSeconds } }));
	const triggersBefore = emulator.count('POST', '/dca/trigger');
	const jobsBefore = emulator.jobs.length;
	const dbBefore = hub.dbSizeMb();

	// 1. Park them all at once, through the webhook process.
	const hookUrl = `${hub.webhook.url}/webhook/${path}`;
	const answers = await pool(
		Array.from({ length: n }, (_, i) => i),
		25,
		(i) => callWebhook(hookUrl, { urls: [urlOf(i, 0), urlOf(i, 1)] }),
	);
	const notStarted = answers.filter((a) => a.status !== 200).length;
	if (notStarted) problems.push(`${notStarted} start calls were not answered 200`);
	await waitFor(
		`${n} executions to wait`,
		() => {
			const counts = hub.statusCounts(workflowId);
			return counts.waiting === n ? counts : undefined;
		},
		{ timeoutMs: o.parkTimeoutMs ?? 600_000, everyMs: 1000 },
	);
	const parkedSeconds = (Date.now() - t0) / 1000;
	log(`${n} executions waiting after ${parkedSeconds.toFixed(0)} s`);

	// Each execution ↔ its job (by input URL) ↔ its resume URL.
	const jobs = emulator.jobs.slice(jobsBefore).filter((job) => job.collector === 'c_products01');
	const byIndex = new Map();
	for (const job of jobs) {
		const i = Number(job.inputs[0]?.url?.match(/hub-(\d+)-0$/)?.[1]);
		if (!Number.isInteger(i)) continue;
		if (byIndex.has(i)) problems.push(`input ${i} started a second job ${job.id}`);
		else byIndex.set(i, job);
	}
	if (byIndex.size !== n) problems.push(`${byIndex.size} jobs for ${n} executions`);
	const executions = hub.executions(workflowId);
	const entries = [...byIndex.entries()].map(([i, job]) => {
		const notify = new URL(job.options.notify.endpoint);
		const executionId = notify.pathname.match(/webhook-waiting\/(\d+)\//)?.[1];
		return { i, job, notify, executionId };
	});
	const wrongHost = entries.filter((e) => e.notify.origin !== hub.webhook.url).length;
	if (wrongHost) problems.push(`${wrongHost} resume URLs do not point at the webhook process`);
	const execIds = new Set(executions.map((e) => e.id));
	if (entries.some((e) => !execIds.has(e.executionId))) problems.push('a resume URL names an execution of another workflow');

	// 2. Faults.
	const kinds = faultPlan(n, o.fractions);
	entries.forEach((e) => (e.kind = kinds[e.i]));
	for (const e of entries) {
		if (e.kind === 'late') emulator.planNotify(e.job.id, { delayMs: o.lateMs });
		if (e.kind === 'twice') emulator.planNotify(e.job.id, { copies: 2 });
		if (e.kind === 'never') emulator.planNotify(e.job.id, { skip: true });
	}
	// Finish order: job start order, except that the out-of-order ones swap places among themselves (reversed).
	const order = [...entries].sort((a, b) => a.i - b.i);
	const oooSlots = order.map((e, slot) => (e.kind === 'outOfOrder' ? slot : -1)).filter((s) => s >= 0);
	const oooReversed = oooSlots.map((s) => order[s]).reverse();
	oooSlots.forEach((slot, k) => (order[slot] = oooReversed[k]));

	// Forged calls: a wrong token (the node answers 401) and a wrong n8n signature (n8n answers 401).
	const forged = [];
	for (const e of entries.filter((x) => x.kind === 'forged')) {
		const body = { collection_id: e.job.id, snapshot_id: e.job.id, status: 'done' };
		const badToken = new URL(e.notify);
		badToken.searchParams.set('brightdata', '0'.repeat(32));
		const badSignature = new URL(e.notify);
		badSignature.searchParams.set('signature', 'f'.repeat(64));
		const noToken = new URL(e.notify);
		noToken.searchParams.delete('brightdata');
		for (const url of [badToken, badSignature, noToken]) forged.push({ e, status: (await post(url, body)).status });
	}
	const forgedAccepted = forged.filter((f) => f.status !== 401).length;
	if (forgedAccepted) problems.push(`${forgedAccepted} forged calls were not refused with 401: ${JSON.stringify(forged.filter((f) => f.status !== 401).map((f) => f.status))}`);

	// 3. A worker dies while everything waits (no worker holds a parked execution).
	let killed;
	let restart;
	const workerLogs = [];
	if (o.killWorker) {
		killed = await hub.killWorker(0);
		workerLogs.push(killed.output());
		log(`worker 1 killed (SIGKILL) with ${n} executions waiting`);
	}
	if (o.wakeNever) {
		const woken = hub.wakeNow(entries.filter((e) => e.kind === 'never').map((e) => e.executionId));
		log(`${woken} never-notified executions' waitTill moved to now`);
	}

	// 4. The notifications: the jobs end one after another over streamSeconds; the worker comes back halfway.
	const streamStart = Date.now();
	const gap = (o.streamSeconds * 1000) / n;
	for (let k = 0; k < order.length; k++) {
		const due = streamStart + k * gap;
		if (due > Date.now()) await sleep(due - Date.now());
		emulator.finish(order[k].job.id);
		order[k].finishedAt = Date.now();
		if (o.killWorker && !restart && k >= order.length / 2) {
			log('restarting worker 1');
			restart = hub.restartWorker(0).then((w) => (log(`worker 1 back after ${((Date.now() - streamStart) / 1000).toFixed(0)} s of the stream`), w));
		}
	}
	log(`all ${n} jobs ended after ${((Date.now() - streamStart) / 1000).toFixed(0)} s`);
	if (restart) await restart;

	// 5. Every execution ends.
	await waitFor(
		`all ${n} executions to end`,
		() => {
			const counts = hub.statusCounts(workflowId);
			const ended = Object.entries(counts).filter(([s]) => ENDED.has(s)).reduce((a, [, c]) => a + c, 0);
			return ended === n ? counts : undefined;
		},
		{ timeoutMs: o.endTimeoutMs ?? 900_000, everyMs: 2000 },
	);
	await emulator.deliveriesSettled();
	const endedSeconds = (Date.now() - t0) / 1000;
	const samples = rss.stop();
	log(`all ended after ${endedSeconds.toFixed(0)} s`);

	// 6. Check each execution: its own rows (or its timeout item), once.
	const final = new Map(hub.executions(workflowId).map((e) => [e.id, e]));
	const data = hub.runData([...final.keys()]);
	const latencies = [];
	const notifyOutcomes = { answered200: 0, senderGaveUp: 0, otherStatus: 0 };
	const lostNotifications = [];
	const byKind = {};
	let rowsOut = 0;
	for (const e of entries) {
		const x = final.get(e.executionId);
		const run = data.get(e.executionId);
		const k = (byKind[e.kind] ??= { count: 0, ok: 0 });
		k.count++;
		const fail = (why) => problems.push(`execution ${e.executionId} (${e.kind}): ${why}`);
		if (x?.status !== 'success') {
			fail(`ended ${x?.status}: ${run?.resultData?.error?.message ?? ''}`);
			continue;
		}
		const runData = run.resultData.runData;
		const scraperRuns = runData.Scraper?.length ?? 0;
		const out = (runData.Scraper?.at(-1)?.data?.main?.[0] ?? []).map(({ json }) => json);
		const rowsNode = (runData.Rows?.at(-1)?.data?.main?.[0] ?? []).map(({ json }) => json);
		if (scraperRuns !== 1 || (runData.Rows?.length ?? 0) !== 1) {
			fail(`Scraper ran ${scraperRuns} times, Rows ${runData.Rows?.length ?? 0} times`);
			continue;
		}
		if (e.kind !== 'never' && out[0]?.timed_out) {
			fail(`timeout item instead of its rows (its notification did not resume it)`);
			continue;
		}
		if (e.kind === 'never') {
			const marker = { snapshot_ids: [e.job.id], ready: false, timed_out: true, status: 'no notification from Bright Data' };
			if (JSON.stringify(out) !== JSON.stringify([marker]) || rowsNode.length !== 1) fail(`not its timeout item: ${JSON.stringify(out).slice(0, 200)}`);
			else k.ok++;
			continue;
		}
		const urls = out.map((row) => row.input?.url);
		if (JSON.stringify(urls) !== JSON.stringify([urlOf(e.i, 0), urlOf(e.i, 1)]) || rowsNode.length !== 2) {
			fail(`rows ${JSON.stringify(urls)}`);
			continue;
		}
		k.ok++;
		rowsOut += rowsNode.length;
		// The emulator's side of it: answered (200 for the one that resumed), or given up on (no answer in time).
		const attempts = emulator.deliveries.filter((d) => d.kind === 'notify' && d.snapshotId === e.job.id && d.sentAt);
		const accepted = attempts.filter((d) => d.status === 200);
		if (accepted.length > 1) fail(`${accepted.length} notifications answered 200`);
		if (e.kind === 'twice' && attempts.length !== 2) fail(`${attempts.length} copies sent`);
		notifyOutcomes.answered200 += accepted.length;
		notifyOutcomes.senderGaveUp += attempts.filter((d) => d.outcome === 'failed').length;
		notifyOutcomes.otherStatus += attempts.filter((d) => d.outcome === 'sent' && d.status !== 200).length;
		const first = attempts.map((d) => Date.parse(d.sentAt)).sort((a, b) => a - b)[0];
		if (first) latencies.push(Date.parse(x.stoppedAt) - first);
	}
	// Executions that ended with the timeout item although their notification was sent: the notification was lost.
	for (const e of entries.filter((x) => x.kind !== 'never')) {
		const run = data.get(e.executionId);
		const out = run?.resultData?.runData?.Scraper?.at(-1)?.data?.main?.[0]?.[0]?.json;
		if (out?.timed_out) {
			const attempts = emulator.deliveries.filter((d) => d.kind === 'notify' && d.snapshotId === e.job.id);
			lostNotifications.push({ execution: e.executionId, kind: e.kind, attempts: attempts.map((d) => d.outcome === 'sent' ? d.status : d.error ?? d.outcome) });
		}
	}
	const triggers = emulator.count('POST', '/dca/trigger') - triggersBefore;
	if (triggers !== n) problems.push(`${triggers} jobs billed (POST /dca/trigger) for ${n} executions`);
	const expectedRows = (n - (byKind.never?.count ?? 0)) * 2;
	if (rowsOut !== expectedRows) problems.push(`${rowsOut} rows out of ${expectedRows}`);
	const twiceAnswers = entries.filter((e) => e.kind === 'twice').flatMap((e) => emulator.deliveries.filter((d) => d.kind === 'notify' && d.snapshotId === e.job.id).map((d) => d.status ?? 'no answer in time'));

	// Which worker ran which part (n8n's "Worker started execution N" lines).
	for (const w of hub.workers) if (w) workerLogs.push(w.output());
	const startedLines = workerLogs.map((text) => [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]).filter((id) => final.has(id)).length);

	// Which process ran which half of the node: its log lines (level info) name the snapshot.
	const ownSnapshots = new Set(entries.map((e) => e.job.id));
	const countLines = (text, pattern) => [...text.matchAll(pattern)].filter((m) => ownSnapshots.has(m[1])).length;
	const parkedBy = workerLogs.map((text) => countLines(text, /snapshot (j_\w+) until [^ ]+, the execution parked/g));
	const resumedBy = {
		webhook: countLines(hub.webhook.output(), /snapshot (j_\w+) ready: .*resumed by Bright Data's notification/g),
		workers: workerLogs.map((text) => countLines(text, /snapshot (j_\w+) ready: .*resumed by Bright Data's notification/g)),
	};

	return {
		executions: n,
		parkedLoggedBy: parkedBy,
		resumedLoggedBy: resumedBy,
		faults: Object.fromEntries(Object.entries(byKind).map(([kind, v]) => [kind, v])),
		parkedSeconds: round(parkedSeconds),
		endedSeconds: round(endedSeconds),
		billedJobs: triggers,
		duplicateJobs: triggers - n,
		rowsOut,
		expectedRows,
		lostRows: expectedRows - rowsOut,
		notifyOutcomes,
		lostNotifications,
		notifyToRowsMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies), n: latencies.length },
		forgedCalls: forged.length,
		forgedRefused: forged.length - forgedAccepted,
		secondCopyAnswers: twiceAnswers.filter((s) => s !== 200),
		workerStartsPerLog: startedLines,
		rss: rssSummary(samples),
		rssSamples: samples,
		dbMb: { before: dbBefore, after: hub.dbSizeMb() },
		problems,
	};
}

/** The exact `bytes` for the emulator's huge answer to hold `rows` rows of `rowBytes` (see hugeReply). */
export function hugeBytesFor(rows, rowBytes) {
	let size = 2;
	for (let index = 0; index < rows - 1; index++) size += JSON.stringify({ title: 'x'.repeat(rowBytes), input: { url: `https://huge.example/${index}` } }).length + 1;
	return size + 1;
}

/** One parked execution with File output; its dataset is `rows` rows (~1 KB each). Memory of the webhook process and the worker against the payload. */
export async function runFileScenario(hub, emulator, { rows, rowBytes = 1000, log = () => {}, timeoutMs = 600_000 }) {
	const problems = [];
	const path = `hub-file-${Date.now()}`;
	const workflowId = await hub.rest.createActiveWorkflow(
		parkWorkflow({ name: `Hub: File ${rows} rows`, path, credential: hub.credential, options: { timeout: 600 }, parameters: { outputMode: 'file', fileFormat: 'json' } }),
	);
	const jobsBefore = emulator.jobs.length;
	const answer = await callWebhook(`${hub.webhook.url}/webhook/${path}`, { urls: [urlOf('file', 0)] });
	if (answer.status !== 200) problems.push(`start answered ${answer.status}`);
	const waiting = await waitFor('the File execution to wait', () => hub.executions(workflowId).find((e) => e.status === 'waiting'), { timeoutMs: 120_000, everyMs: 500 });
	const job = emulator.jobs.slice(jobsBefore).find((j) => j.inputs[0]?.url === urlOf('file', 0));
	const bytes = hugeBytesFor(rows, rowBytes);
	emulator.injectFault({ method: 'GET', path: '/dca/dataset', jobId: job.id, kind: 'huge', bytes, rowBytes, times: Infinity });
	const binaryBefore = hub.binaryData();
	const baseline = hub.rss();
	const rss = sampleRss(hub, { everyMs: 250 });
	const t0 = Date.now();
	emulator.finish(job.id);
	await waitFor('the File execution to end', () => ENDED.has(hub.executions(workflowId).find((e) => e.id === waiting.id)?.status), { timeoutMs, everyMs: 500 });
	const seconds = (Date.now() - t0) / 1000;
	const samples = rss.stop();
	emulator.clearFaults();
	const done = hub.executions(workflowId).find((e) => e.id === waiting.id);
	const run = hub.runData([waiting.id]).get(waiting.id);
	const item = run?.resultData?.runData?.Scraper?.at(-1)?.data?.main?.[0]?.[0];
	if (done.status !== 'success') problems.push(`ended ${done.status}: ${run?.resultData?.error?.message}`);
	if (item?.json?.count !== rows) problems.push(`file item says ${item?.json?.count} rows, not ${rows}`);
	const stored = item?.binary?.data;
	if (stored && !String(stored.id ?? '').startsWith('database:')) problems.push(`binary not in the database: ${stored.id}`);
	const binaryAfter = hub.binaryData();
	const payloadMb = round(bytes / 1024 / 1024, 1);
	const peak = Object.fromEntries(Object.keys(baseline).map((k) => [k, Math.max(...samples.map((s) => s[k]))]));
	const growth = Object.fromEntries(Object.keys(baseline).map((k) => [k, peak[k] - baseline[k]]));
	log(`File ${rows} rows (${payloadMb} MB): ${seconds.toFixed(0)} s; peak growth ${JSON.stringify(growth)}`);
	return {
		rows,
		payloadMb,
		seconds: round(seconds, 1),
		fileSize: stored?.fileSize,
		binaryId: String(stored?.id ?? '').replace(/:.*/, ':…'),
		binaryTable: { before: binaryBefore, after: binaryAfter },
		baselineMb: baseline,
		peakMb: peak,
		growthMb: growth,
		growthPerPayload: Object.fromEntries(Object.entries(growth).map(([k, v]) => [k, round(v / payloadMb, 2)])),
		problems,
	};
}

const deliveryRows = (k) => [0, 1, 2].map((r) => ({ title: `Delivery ${k} row ${r}`, url: `https://shop.example/product/dlv-${k}-r${r}`, input: { url: `https://shop.example/product/dlv-${k}-r${r}` } }));

/**
 * CPU (ms) the webhook process and the workers spend per call, `calls` calls 4 at a time: into the
 * trigger node (gzip rows, secret) and into n8n's own Webhook node (Header Auth with the same
 * secret, the same rows as JSON), for scale.
 */
export async function cpuPerCall(hub, { calls, gzipHeaders = { 'content-type': 'application/json', 'content-encoding': 'gzip' } }) {
	const { webhookId, workflow } = deliveryWorkflow({ name: 'Hub: trigger node CPU', secretCredential: hub.secretCredential });
	await hub.rest.createActiveWorkflow(workflow);
	const triggerUrl = `${hub.webhook.url}/webhook/${webhookId}/webhook`;
	await waitFor('the CPU trigger webhook to be registered', async () => (await post(triggerUrl, gzipSync('[]'), { ...gzipHeaders, [hub.secret.headerName]: 'warm-up' })).status === 401, { timeoutMs: 60_000, everyMs: 500 });
	const path = `hub-plain-${Date.now()}`;
	const plainId = await hub.rest.createActiveWorkflow(plainWebhookWorkflow({ name: 'Hub: n8n Webhook node', path, headerAuthCredential: hub.headerAuthCredential }));
	const plainUrl = `${hub.webhook.url}/webhook/${path}`;
	const plainHeaders = { [hub.secret.headerName]: hub.secret.secret };
	await waitFor('the Webhook node to be registered', async () => (await post(plainUrl, { rows: [] }, plainHeaders)).status === 200, { timeoutMs: 60_000, everyMs: 500 });
	const measure = async (send) => {
		const pids = [hub.webhook.pid, ...hub.workers.filter(Boolean).map((w) => w.pid)];
		const before = pids.map(groupCpuMs);
		const t0 = Date.now();
		await pool(Array.from({ length: calls }, (_, i) => i), 4, send);
		const ms = Date.now() - t0;
		await sleep(3000); // the workers finish the executions
		const used = pids.map((pid, i) => groupCpuMs(pid) - before[i]);
		return { webhookMsPerCall: round(used[0] / calls), workersMsPerCall: round(used.slice(1).reduce((a, b) => a + b, 0) / calls), perMinute: round((calls / ms) * 60_000) };
	};
	const trigger = await measure((k) => post(triggerUrl, gzipSync(JSON.stringify(deliveryRows(`cpu${k}`))), { ...gzipHeaders, [hub.secret.headerName]: hub.secret.secret }));
	const plain = await measure((k) => post(plainUrl, { rows: deliveryRows(`cpu${k}`) }, plainHeaders));
	await waitFor('the baseline executions to end', () => !hub.statusCounts(plainId).new && !hub.statusCounts(plainId).running, { timeoutMs: 120_000, everyMs: 1000 });
	return { calls, triggerNode: trigger, n8nWebhookNode: plain };
}

/**
 * `perMinute` Rows Delivered calls a minute for `seconds` through the webhook process, every
 * `forgedEvery`-th with a wrong secret. Each call is due on a fixed schedule; at most `maxInFlight`
 * are open at once (a sender's connection limit), so when n8n falls behind, calls go out late, and
 * their answer time is counted from when they were due (what a sender at that rate sees), besides
 * the time from sending to the answer.
 */
export async function runDeliveryScenario(hub, { perMinute, seconds, forgedEvery = 20, maxInFlight = 64, cpuCalls = 0, log = () => {}, drainTimeoutMs = 900_000 }) {
	const problems = [];
	const { webhookId, workflow } = deliveryWorkflow({ name: `Hub: deliveries ${perMinute}/min`, secretCredential: hub.secretCredential });
	const workflowId = await hub.rest.createActiveWorkflow(workflow);
	const url = `${hub.webhook.url}/webhook/${webhookId}/webhook`;
	const gzipHeaders = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
	// Until the webhook process knows the workflow: a forged call answers 401 (404 before).
	await waitFor('the trigger webhook to be registered', async () => (await post(url, gzipSync('[]'), { ...gzipHeaders, [hub.secret.headerName]: 'warm-up' })).status === 401, { timeoutMs: 60_000, everyMs: 500 });
	const cpu = cpuCalls ? await cpuPerCall(hub, { calls: cpuCalls, gzipHeaders }) : undefined;
	if (cpu) log(`CPU per call: ${JSON.stringify(cpu)}`);
	const dbBefore = hub.dbSizeMb();
	const total = Math.round((perMinute * seconds) / 60);
	const gap = 60_000 / perMinute;
	const rss = sampleRss(hub);
	const sent = [];
	const t0 = Date.now();
	const inFlight = new Set();
	for (let k = 0; k < total; k++) {
		const due = t0 + k * gap;
		if (due > Date.now()) await sleep(due - Date.now());
		while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
		const forged = k % forgedEvery === forgedEvery - 1;
		const record = { k, forged, due, at: Date.now() };
		sent.push(record);
		const body = gzipSync(JSON.stringify(deliveryRows(k)));
		const call = post(url, body, { ...gzipHeaders, [hub.secret.headerName]: forged ? `forged-${k}` : hub.secret.secret })
			.then((a) => Object.assign(record, { status: a.status }))
			.catch((error) => Object.assign(record, { status: 0, error: error.message }))
			.finally(() => {
				record.ms = Date.now() - record.at;
				record.fromDueMs = Date.now() - record.due;
				inFlight.delete(call);
			});
		inFlight.add(call);
		if (k % 500 === 499) log(`${k + 1}/${total} deliveries sent, ${inFlight.size} open, ${((Date.now() - due) / 1000).toFixed(1)} s behind schedule`);
	}
	await Promise.all(inFlight);
	const sendSeconds = (Date.now() - t0) / 1000;
	const genuine = sent.filter((s) => !s.forged);
	const forged = sent.filter((s) => s.forged);
	const notOk = genuine.filter((s) => s.status !== 200);
	if (notOk.length) problems.push(`${notOk.length} genuine deliveries not answered 200 (${[...new Set(notOk.map((s) => s.status))].join(', ')})`);
	const forgedAccepted = forged.filter((s) => s.status !== 401);
	if (forgedAccepted.length) problems.push(`${forgedAccepted.length} forged deliveries not refused with 401 (${[...new Set(forgedAccepted.map((s) => s.status))].join(', ')})`);

	const answers = {};
	for (const s of sent) answers[s.status] = (answers[s.status] ?? 0) + 1;
	const errors = [...new Set(sent.filter((s) => s.error).map((s) => s.error))].slice(0, 5);
	log(`answers ${JSON.stringify(answers)}${errors.length ? `; errors ${JSON.stringify(errors)}` : ''}`);
	// Every accepted delivery's execution ends (and nothing is left queued or running for 10 s).
	const accepted = genuine.filter((s) => s.status === 200).length;
	let quietSince;
	await waitFor(
		`${accepted} trigger executions to end`,
		() => {
			const counts = hub.statusCounts(workflowId);
			const ended = Object.entries(counts).filter(([s]) => ENDED.has(s)).reduce((a, [, c]) => a + c, 0);
			if (counts.new || counts.running || counts.waiting) return (quietSince = undefined);
			quietSince ??= Date.now();
			return ended >= accepted || Date.now() - quietSince > 10_000 ? counts : undefined;
		},
		{ timeoutMs: drainTimeoutMs, everyMs: 2000 },
	);
	const drainSeconds = (Date.now() - t0) / 1000;
	const samples = rss.stop();
	const counts = hub.statusCounts(workflowId);

	// Which delivery's rows each execution holds (the row URLs in its stored run data).
	const lines = hub.pg
		.query(
			`SELECT e.id, e.status, (SELECT string_agg(DISTINCT m[1] || ':' || m[2], ',') FROM regexp_matches(d.data, 'dlv-(\\d+)-r(\\d+)', 'g') AS m) FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = '${workflowId}'`,
		)
		.split('\n')
		.filter(Boolean);
	const seen = new Map();
	let badExecutions = 0;
	const loadLines = lines;
	for (const line of loadLines) {
		const [id, status, marks = ''] = line.split('|');
		const pairs = marks.split(',').filter(Boolean).map((p) => p.split(':').map(Number));
		const ks = new Set(pairs.map(([k]) => k));
		if (status !== 'success' || ks.size !== 1 || pairs.length !== 3) {
			badExecutions++;
			if (badExecutions <= 5) problems.push(`execution ${id} ${status} holds ${marks || 'no rows'}`);
			continue;
		}
		const [k] = ks;
		seen.set(k, (seen.get(k) ?? 0) + 1);
	}
	// Lost = answered 200 but no execution with its rows; a call answered otherwise (503) was refused, and its sender knows.
	const lost = genuine.filter((s) => s.status === 200 && !seen.has(s.k)).length;
	const refused = genuine.filter((s) => s.status !== 200).length;
	const twice = [...seen.values()].filter((c) => c > 1).length;
	const forgedRan = forged.filter((s) => seen.has(s.k)).length;
	if (badExecutions) problems.push(`${badExecutions} executions without exactly one delivery's 3 rows`);
	if (lost) problems.push(`${lost} genuine deliveries answered 200 started no execution with their rows`);
	if (twice) problems.push(`${twice} deliveries started more than one execution`);
	if (forgedRan) problems.push(`${forgedRan} forged deliveries started an execution`);
	if (loadLines.length !== genuine.length) problems.push(`${loadLines.length} executions for ${genuine.length} genuine deliveries (${genuine.length - refused} answered 200)`);
	const ms = sent.map((s) => s.ms);
	const fromDue = sent.map((s) => s.fromDueMs);
	return {
		perMinute,
		seconds,
		sent: sent.length,
		genuine: genuine.length,
		forged: forged.length,
		forgedRefused: forged.length - forgedAccepted.length,
		answers,
		errors,
		executions: loadLines.length,
		statusCounts: counts,
		lost,
		refused,
		duplicated: twice,
		sendSeconds: round(sendSeconds, 1),
		achievedPerMinute: round((sent.length / sendSeconds) * 60),
		drainSeconds: round(drainSeconds, 1),
		maxInFlight,
		answerMs: { p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: Math.max(...ms) },
		answerFromDueMs: { p50: percentile(fromDue, 50), p95: percentile(fromDue, 95), p99: percentile(fromDue, 99), max: Math.max(...fromDue) },
		cpu,
		rss: rssSummary(samples),
		rssSamples: samples,
		dbMb: { before: dbBefore, after: hub.dbSizeMb() },
		problems,
	};
}
