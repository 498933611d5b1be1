/**
 * The hub bench's report, from its measured figures (bench/hub-results.json, and the variants'
 * files beside it): the `hub` section of bench/RESULTS.md, ending with the hand-written
 * bench/hub-notes.md, and bench/hub-chart.svg (memory of each n8n process over the run).
 * Run alone: node --import tsx bench/hubReport.mjs   (after bench/hub.mjs)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { marked, withSection } from './sections.ts';

const dir = import.meta.dirname;
const RESULTS_FILE = join(dir, 'RESULTS.md');
const CHART_FILE = join(dir, 'hub-chart.svg');
const PROCESSES = [
	['main', 'main', '#1f77b4'],
	['webhook', 'webhook process', '#d62728'],
	['worker1', 'worker 1 (killed, restarted)', '#2ca02c'],
	['worker2', 'worker 2', '#9467bd'],
];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const fmt = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');

/** Line chart: RSS (MB) of each process group over the parked part, then the deliveries part. */
export function hubChartSvg(results) {
	const segments = [
		['parked executions', results.parked?.rssSamples],
		['deliveries', results.deliveries?.rssSamples],
	].filter(([, samples]) => samples?.length);
	const W = 920;
	const H = 420;
	const m = { l: 60, r: 20, t: 50, b: 90 };
	const gapS = 20;
	let offset = 0;
	const placed = segments.map(([label, samples]) => {
		const start = offset;
		const end = start + samples.at(-1).t;
		offset = end + gapS;
		return { label, samples, start, end };
	});
	const totalS = Math.max(1, offset - gapS);
	const maxMb = Math.max(100, ...placed.flatMap(({ samples }) => samples.flatMap((s) => PROCESSES.map(([k]) => s[k] ?? 0))));
	const yMax = Math.ceil((maxMb * 1.1) / 200) * 200;
	const x = (s) => m.l + (s / totalS) * (W - m.l - m.r);
	const y = (mb) => H - m.b - (mb / yMax) * (H - m.t - m.b);
	const parts = [];
	parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
	parts.push(`<rect width="${W}" height="${H}" fill="white"/>`);
	parts.push(`<text x="${m.l}" y="22" font-size="15" font-weight="bold">Hub (queue mode, n8n ${esc(results.n8n)}): resident memory of each n8n process over the run</text>`);
	parts.push(`<text x="${m.l}" y="40" fill="#555">RSS of the process group (n8n and its task runner), sampled every 2 s; ${esc(results.machine.cpus)} CPUs, ${esc(results.date.slice(0, 10))}</text>`);
	for (let mb = 0; mb <= yMax; mb += 200) {
		parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y(mb)}" y2="${y(mb)}" stroke="#eee"/><text x="${m.l - 6}" y="${y(mb) + 4}" text-anchor="end">${mb}</text>`);
	}
	parts.push(`<text x="14" y="${(m.t + H - m.b) / 2}" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})" text-anchor="middle">MB</text>`);
	for (const seg of placed) {
		parts.push(`<rect x="${x(seg.start)}" y="${m.t}" width="${x(seg.end) - x(seg.start)}" height="${H - m.t - m.b}" fill="#fafafa" stroke="#ddd"/>`);
		parts.push(`<text x="${(x(seg.start) + x(seg.end)) / 2}" y="${m.t + 14}" text-anchor="middle" fill="#333">${esc(seg.label)} (${fmt(seg.end - seg.start)} s)</text>`);
		for (let s = 0; s <= seg.end - seg.start; s += 60) parts.push(`<text x="${x(seg.start + s)}" y="${H - m.b + 16}" text-anchor="middle" fill="#555">${s}</text>`);
		for (const [key, , color] of PROCESSES) {
			const points = seg.samples.map((p) => `${x(seg.start + p.t).toFixed(1)},${y(p[key] ?? 0).toFixed(1)}`).join(' ');
			parts.push(`<polyline fill="none" stroke="${color}" stroke-width="1.6" points="${points}"/>`);
		}
	}
	parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - m.b + 34}" text-anchor="middle">seconds into the part</text>`);
	PROCESSES.forEach(([, label, color], i) => {
		const lx = m.l + i * 210;
		parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${H - 28}" y2="${H - 28}" stroke="${color}" stroke-width="3"/><text x="${lx + 30}" y="${H - 24}">${esc(label)}</text>`);
	});
	const p = results.parked;
	const d = results.deliveries;
	const caption = [
		p && `${p.executions} parked: notification→rows p50 ${fmt(p.notifyToRowsMs.p50)} ms, p95 ${fmt(p.notifyToRowsMs.p95)} ms`,
		d && `deliveries: answer p95 ${fmt(d.answerMs.p95)} ms (${fmt(d.achievedPerMinute)}/min achieved of ${fmt(d.perMinute)}/min)`,
	].filter(Boolean);
	parts.push(`<text x="${m.l}" y="${H - 6}" fill="#333">${esc(caption.join(' · '))}</text>`);
	parts.push('</svg>');
	return `${parts.join('\n')}\n`;
}

/** The runs side by side: what the sender's patience and the webhook process's database pool change. */
function comparison(runs) {
	const col = (f) => runs.map(({ r }) => f(r) ?? '–');
	const parkedOk = (r) => r.parked && Object.entries(r.parked.faults).filter(([k]) => k !== 'never').reduce((a, [, v]) => a + v.ok, 0);
	const notified = (r) => r.parked && r.parked.executions - (r.parked.faults.never?.count ?? 0);
	const timeoutItems = (r) => r.parked?.problems.filter((x) => /rows \[null\]|timeout item instead/.test(x)).length;
	const errors = (r) => r.parked?.problems.filter((x) => /ended (error|crashed)/.test(x)).length;
	const rows = [
		['Run', runs.map(({ label, file }) => `${label} ([${file}](${file}))`)],
		['Started (UTC), load average at the start', col((r) => `${r.date.slice(11, 16)}, ${r.machine.loadAtStart[0]}`)],
		['Emulator waits for n8n\'s answer to a notification', col((r) => `${(r.settings.notifyTimeoutMs ?? 5000) / 1000} s, no retry`)],
		['Webhook process', col((r) => (r.webhookEnv && Object.keys(r.webhookEnv).length ? Object.entries(r.webhookEnv).map(([k, v]) => `\`${k}=${v}\``).join(' ') : 'n8n defaults (`DB_POSTGRESDB_POOL_SIZE` 2)'))],
		['Parked: notified executions that ended with exactly their own rows', col((r) => r.parked && `**${parkedOk(r)} of ${notified(r)}**`)],
		['… ended with the timeout item instead (notification not taken)', col(timeoutItems)],
		['… ended in an error (`timeout exceeded when trying to connect`) or crashed', col(errors)],
		['… never-notified ones with their timeout item', col((r) => r.parked && `${r.parked.faults.never.ok} of ${r.parked.faults.never.count}`)],
		['Duplicate jobs billed; forged calls refused', col((r) => r.parked && `${r.parked.duplicateJobs}; ${r.parked.forgedRefused} of ${r.parked.forgedCalls}`)],
		['Notification → rows p50 / p95 (resumed ones)', col((r) => r.parked && `${fmt(r.parked.notifyToRowsMs.p50)} / ${fmt(r.parked.notifyToRowsMs.p95)} ms`)],
		['Webhook process RSS peak (parked)', col((r) => r.parked && `${r.parked.rss.webhook.peak} MB`)],
		['Deliveries due at 1,000/min: answered 200 / 503 / 401', col((r) => r.deliveries?.answers && `${fmt(r.deliveries.answers['200'] ?? 0)} / ${fmt(r.deliveries.answers['503'] ?? 0)} / ${fmt(r.deliveries.answers['401'] ?? 0)} of ${fmt(r.deliveries.sent)}`)],
		['… executions; lost after a 200; duplicated', col((r) => r.deliveries && `${fmt(r.deliveries.executions)}; ${Math.max(0, (r.deliveries.answers?.['200'] ?? 0) - r.deliveries.executions)}; ${r.deliveries.duplicated}`)],
		['… rate achieved; answer p95 from sending', col((r) => r.deliveries && `${fmt(r.deliveries.achievedPerMinute)}/min; ${fmt(r.deliveries.answerMs.p95)} ms`)],
	];
	return [
		'The same hub three times; only the sender\'s patience and the webhook process\'s database pool differ (the detailed tables below are the first column\'s):',
		'',
		`| | ${rows[0][1].join(' | ')} |`,
		`| --- | ${runs.map(() => '---').join(' | ')} |`,
		...rows.slice(1).map(([label, values]) => `| ${label} | ${values.join(' | ')} |`),
	];
}

const rssRow = (label, rss) =>
	`| ${label} | ${PROCESSES.map(([k]) => (rss?.[k] ? `${rss[k].start} / ${rss[k].peak} / ${rss[k].end}` : '–')).join(' | ')} |`;

/** The `hub` section of RESULTS.md. */
export function hubMarkdown(r, variants = []) {
	const s = r.settings;
	const p = r.parked;
	const f = r.file;
	const d = r.deliveries;
	const lines = [];
	lines.push('## 6. Hub: queue mode with Postgres, Redis, two workers and a webhook process');
	lines.push('');
	lines.push(
		`Measured ${r.date.slice(0, 16).replace('T', ' ')} UTC on this machine (${r.machine.cpus} CPUs shared with other work, ${r.machine.memoryGb} GB; load average ${r.machine.loadAtStart.join(' / ')} at the start, ${r.loadAtEnd?.join(' / ') ?? '?'} at the end), code ${r.code}, n8n ${r.n8n}. ` +
			`Command: \`${r.command}\` (\`npm run bench -- --only=hub\`), ${fmt(r.totalSeconds)} s in all; raw figures in [hub-results.json](hub-results.json).`,
	);
	lines.push('');
	lines.push(
		`The hub ([test/e2e/hub.mjs](../test/e2e/hub.mjs)): Postgres 15 (Debian's package, a throwaway cluster), Redis, n8n main (production webhooks off: \`N8N_DISABLE_PRODUCTION_MAIN_PROCESS\`), ${s.workers} workers (\`n8n worker --concurrency=${s.concurrency}\`), one \`n8n webhook\` process that \`N8N_WEBHOOK_URL\` points at, \`N8N_DEFAULT_BINARY_DATA_MODE=database\`; the package linked into each process's own user folder. ` +
			`The emulator runs at ${s.emulatorTimeScale}× real time, so no job ends by itself; the bench ends each job, and the emulator then sends its notification to the resume URL (the webhook process). n8n started in ${fmt(r.startSeconds)} s; idle RSS ${PROCESSES.map(([k, label]) => `${label.replace(/ \(.*/, '')} ${r.rssIdle?.[k]} MB`).join(', ')}.`,
	);
	lines.push('');
	lines.push('![RSS of each n8n process over the hub run](hub-chart.svg)');
	lines.push('');
	if (variants.length) lines.push(...comparison([{ label: 'main run, n8n defaults', file: 'hub-results.json', r }, ...variants]), '');
	if (p) {
		const k = p.faults;
		lines.push(`### Parked executions: ${p.executions} Resume on Notification waits at once`);
		lines.push('');
		lines.push(
			`Each execution: Webhook → Code (2 URLs) → Trigger and Wait, Wait Mode Resume on Notification, Timeout ${s.nodeTimeoutSeconds} s (so n8n resumes a never-notified one after ${s.nodeTimeoutSeconds} + 300 s) → Rows. ` +
				`All ${p.executions} were started through the webhook process at once (25 calls open at a time) and were all waiting after ${fmt(p.parkedSeconds)} s. Then worker 1 was SIGKILLed (nothing was running: a parked execution holds no worker), ` +
				`and the jobs were ended one after another over ${s.streamSeconds} s; worker 1 was started again halfway through (it was back before the stream ended). Faults: late = the notification ${s.lateMs / 1000} s after the job ended; twice = two copies at the same moment; forged = three calls before the real one (a wrong \`brightdata\` token, a wrong n8n \`signature\`, no token); out of order = those jobs ended in reverse order of their start; never = no notification.`,
		);
		lines.push('');
		lines.push('| Fault | Executions | Ended with exactly their own rows (or, for never, their timeout item) |');
		lines.push('| --- | ---: | ---: |');
		for (const [kind, v] of Object.entries(k)) lines.push(`| ${kind} | ${v.count} | ${v.ok} |`);
		lines.push('');
		lines.push('| Figure | Value |');
		lines.push('| --- | --- |');
		lines.push(`| Jobs billed (POST /dca/trigger in the emulator's log) | ${fmt(p.billedJobs)} for ${fmt(p.executions)} executions: **${p.duplicateJobs} duplicates** |`);
		lines.push(`| Rows in their executions | ${fmt(p.rowsOut)} of ${fmt(p.expectedRows)} (**${p.lostRows} missing**: those executions ended with the timeout item or an error instead; the rows stay at Bright Data for Get Dataset) |`);
		lines.push(`| Notification → rows (from the notification's first send to the execution's end, ${p.notifyToRowsMs.n} executions resumed by it) | p50 **${fmt(p.notifyToRowsMs.p50)} ms**, p95 **${fmt(p.notifyToRowsMs.p95)} ms**, max ${fmt(p.notifyToRowsMs.max)} ms |`);
		if (p.notifyOutcomes) {
			lines.push(`| Notification calls (emulator's log) | ${p.notifyOutcomes.answered200} answered 200, ${p.notifyOutcomes.otherStatus} answered otherwise, **${p.notifyOutcomes.senderGaveUp} given up on** (no answer within ${s.notifyTimeoutMs ?? 5000} ms) |`);
			lines.push(`| Executions whose notification was sent but which ended with the timeout item | **${p.lostNotifications.length}** |`);
		}
		lines.push(`| Forged calls refused (401) | ${p.forgedRefused} of ${p.forgedCalls} |`);
		lines.push(`| Answer to the second of two simultaneous copies | ${[...new Set(p.secondCopyAnswers)].join(', ') || '–'} (n8n's, see notes); the execution resumed once |`);
		lines.push(`| All ${p.executions} ended after | ${fmt(p.endedSeconds)} s (the never-notified ones by the wait tracker at Timeout + 300 s) |`);
		lines.push(`| Postgres database | ${p.dbMb.before} MB before, ${p.dbMb.after} MB after |`);
		lines.push('');
		lines.push('RSS in MB (start / peak / end of the part):');
		lines.push('');
		lines.push(`| Part | ${PROCESSES.map(([, label]) => label).join(' | ')} |`);
		lines.push(`| --- | ${PROCESSES.map(() => '---:').join(' | ')} |`);
		lines.push(rssRow('parked', p.rss));
		if (d) lines.push(rssRow('deliveries', d.rss));
		lines.push('');
	}
	if (f) {
		lines.push(`### File output: ${fmt(f.rows)} rows in database binary mode`);
		lines.push('');
		lines.push(
			`One parked execution with Output: File (JSON); its notification makes the webhook process read the ${fmt(f.rows)}-row dataset (${f.payloadMb} MB, the emulator's \`huge\` answer) and write the file, which n8n keeps in Postgres (\`binary_data\`: ${f.binaryTable.before.count} → ${f.binaryTable.after.count} rows, ${f.binaryTable.after.mb} MB; the item's binary id starts \`${f.binaryId}\`); the worker then finishes the execution. ${f.seconds} s from the job's end to the execution's end.`,
		);
		lines.push('');
		lines.push(`| | ${PROCESSES.map(([, label]) => label).join(' | ')} |`);
		lines.push(`| --- | ${PROCESSES.map(() => '---:').join(' | ')} |`);
		lines.push(`| RSS before (MB) | ${PROCESSES.map(([k]) => f.baselineMb[k]).join(' | ')} |`);
		lines.push(`| Peak RSS (MB, sampled every 250 ms) | ${PROCESSES.map(([k]) => f.peakMb[k]).join(' | ')} |`);
		lines.push(`| Growth per MB of payload | ${PROCESSES.map(([k]) => f.growthPerPayload[k]).join(' | ')} |`);
		lines.push('');
	}
	if (d) {
		lines.push(`### Deliveries into the trigger node through the webhook process`);
		lines.push('');
		lines.push(
			`Bright Data Scraper Studio Trigger, Event Rows Delivered, Header Auth with the secret in its credential (\`brightDataScraperStudioTriggerSecretApi\`); each call a gzip JSON array of 3 rows unique to it; due at ${fmt(d.perMinute)} a minute for ${d.seconds} s (${fmt(d.sent)} calls, every ${s.forgedEvery}th with a wrong secret), at most ${d.maxInFlight} open at once. ` +
				`The check reads every execution's stored run data from Postgres.`,
		);
		lines.push('');
		lines.push('| Figure | Value |');
		lines.push('| --- | --- |');
		lines.push(`| Calls | ${fmt(d.genuine)} genuine, ${fmt(d.forged)} forged |`);
		const answers = d.answers ?? {};
		const accepted = answers['200'] ?? 0;
		lines.push(`| Answers | ${Object.entries(answers).map(([status, count]) => `${fmt(count)}× ${status}`).join(', ')} |`);
		lines.push(`| Executions | **${fmt(d.executions)}** for ${fmt(accepted)} calls answered 200, ${JSON.stringify(d.statusCounts)}; each with exactly its delivery's 3 rows; ${d.duplicated} deliveries with two executions; **${Math.max(0, accepted - d.executions)} lost** (answered 200 without an execution); ${fmt(d.genuine - accepted)} genuine calls refused with 503 (see notes) |`);
		lines.push(`| Forged calls | ${fmt(d.forgedRefused)} of ${fmt(d.forged)} answered 401, ${fmt(d.forged - d.forgedRefused)} answered 503; none started an execution |`);
		lines.push(`| Rate achieved | ${fmt(d.achievedPerMinute)} calls/min (all sent and answered in ${d.sendSeconds} s; all executions ended after ${d.drainSeconds} s) |`);
		lines.push(`| Answer time, from sending | p50 ${fmt(d.answerMs.p50)} ms, **p95 ${fmt(d.answerMs.p95)} ms**, p99 ${fmt(d.answerMs.p99)} ms, max ${fmt(d.answerMs.max)} ms |`);
		lines.push(`| Answer time, from when the call was due | p50 ${fmt(d.answerFromDueMs.p50)} ms, p95 ${fmt(d.answerFromDueMs.p95)} ms, max ${fmt(d.answerFromDueMs.max)} ms |`);
		if (d.cpu) {
			lines.push(
				`| CPU per call (${d.cpu.calls} calls, 4 at a time) | trigger node: webhook process ${d.cpu.triggerNode.webhookMsPerCall} ms + workers ${d.cpu.triggerNode.workersMsPerCall} ms (${fmt(d.cpu.triggerNode.perMinute)}/min); n8n's own Webhook node, same rows: ${d.cpu.n8nWebhookNode.webhookMsPerCall} ms + ${d.cpu.n8nWebhookNode.workersMsPerCall} ms (${fmt(d.cpu.n8nWebhookNode.perMinute)}/min) |`,
			);
		}
		lines.push(`| Postgres database | ${d.dbMb.before} MB before, ${d.dbMb.after} MB after |`);
		lines.push('');
	}
	const problems = ['parked', 'file', 'deliveries'].flatMap((part) => (r[part]?.problems ?? []).map((x) => `${part}: ${x.replace(/^execution \d+ /, 'execution ')}`));
	const grouped = new Map();
	for (const x of problems) grouped.set(x, (grouped.get(x) ?? 0) + 1);
	lines.push(
		problems.length
			? `What the run's checks found (grouped; \`problems\` in the JSON names each execution):\n\n${[...grouped].map(([x, c]) => `- ${c > 1 ? `${c}× ` : ''}${x.length > 160 ? `${x.slice(0, 160).replace(/\[\{.*/, '')}…` : x}`).join('\n')}`
			: 'The run found no problem: every check above held.',
	);
	const notesFile = join(dir, 'hub-notes.md');
	if (existsSync(notesFile)) lines.push('', readFileSync(notesFile, 'utf8').replace(/^<!--.*?-->\n/, '').trim());
	return marked('hub', lines.join('\n'));
}

/** Other runs of the same bench shown beside the main one, when their files exist (see RESULTS.md). */
const VARIANTS = [
	['sender gives up after 5 s', 'hub-results-notify5s.json'],
	['database pool 10 on the webhook process', 'hub-results-pool10.json'],
];

export function writeHubReport(results) {
	const variants = VARIANTS.filter(([, file]) => existsSync(join(dir, file))).map(([label, file]) => ({ label, file, r: JSON.parse(readFileSync(join(dir, file), 'utf8')) }));
	writeFileSync(CHART_FILE, hubChartSvg(results));
	writeFileSync(RESULTS_FILE, withSection(readFileSync(RESULTS_FILE, 'utf8'), 'hub', hubMarkdown(results, variants)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	writeHubReport(JSON.parse(readFileSync(join(dir, 'hub-results.json'), 'utf8')));
	console.log('wrote the hub section of bench/RESULTS.md and bench/hub-chart.svg');
}
