/** Batch collection: POST /dca/trigger and GET /dca/dataset (API doc §3, §4, §6). */
import type { EmulatorContext } from '../context';
import { datasetReply, errorJson, isObject, json } from '../http';
import type { CollectorSpec } from '../collectors';
import type { BatchJob, TriggerOptions } from '../jobs';
import type { JsonObject, ParsedRequest, Reply } from '../types';
import { batchInputs, findCollector, type Checked } from './common';

/** The documented error for a Real-time-configured collector (status undocumented; 400 chosen). */
export const REALTIME_TRIGGER_ERROR = 'Cannot trigger a batch job with a real-time scraper. Use /trigger_immediate endpoint instead';

/** A collector made by the AI Flow API whose AI job is not done yet (notes §4). */
export const NO_TEMPLATE_ERROR = 'Collector does not have a template';

export function trigger(request: ParsedRequest, ctx: EmulatorContext): Reply {
	const collector = findCollector(request, ctx);
	if (!collector.ok) return collector.reply;
	if (collector.value.mode === 'realtime') return errorJson(400, REALTIME_TRIGGER_ERROR);
	if (collector.value.hasTemplate === false) return errorJson(403, NO_TEMPLATE_ERROR);

	const inputs = batchInputs(request, collector.value);
	if (!inputs.ok) return inputs.reply;
	const options = triggerOptions(request.query);
	if (!options.ok) return options.reply;

	// version=dev runs an approved heal that was not saved to production.
	const spec = (options.value.version === 'dev' && ctx.heals.devVersion(collector.value.id)) || collector.value;
	const job = ctx.jobs.create(spec, inputs.value, options.value, deadlineMs(options.value.deadline));
	return json(200, collectionReply(job, ctx));
}

/** `{collection_id, start_eta}`, as trigger and rerun answer. */
export function collectionReply(job: BatchJob, ctx: EmulatorContext): JsonObject {
	const startsAt = (Number.isFinite(job.startAt) ? job.startAt : job.createdAt) + (job.collector.startEtaErrorSeconds ?? 0) * 1000;
	return { collection_id: job.id, start_eta: ctx.clock.iso(startsAt) };
}

/** Reads the trigger's query parameters; notify / deliver / deadline must be well formed (else 400). */
function triggerOptions(query: Record<string, string>): Checked<TriggerOptions> {
	const options: TriggerOptions = {
		name: query.name ?? query.human_name,
		version: query.version,
		queue: query.queue,
		queueNext: optionalInt(query.queue_next),
		confirmCancel: optionalInt(query.confirm_cancel),
		noDownloads: optionalInt(query.no_downloads),
		deadline: query.deadline,
	};
	if (options.deadline !== undefined && deadlineMs(options.deadline) === undefined) {
		return { ok: false, reply: errorJson(400, `Invalid deadline "${options.deadline}"; use a duration like 45s, 30m or 1h`) };
	}
	for (const name of ['notify', 'deliver'] as const) {
		if (query[name] === undefined) continue;
		const parsed = pushTarget(name, query[name]);
		if (typeof parsed === 'string') return { ok: false, reply: errorJson(400, parsed) };
		options[name] = parsed;
	}
	return { ok: true, value: options };
}

function optionalInt(value: string | undefined): number | undefined {
	const number = Number(value);
	return value === undefined || value === '' || !Number.isFinite(number) ? undefined : number;
}

/** "45s" / "30m" / "1h" / "2d" → emulated ms; undefined when absent or malformed. */
export function deadlineMs(deadline: string | undefined): number | undefined {
	const match = deadline?.trim().match(/^(\d+)\s*(s|m|h|d)$/);
	if (!match) return undefined;
	const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
	return Number(match[1]) * unitMs;
}

/**
 * notify / deliver: URL-encoded JSON with a `type` (webhook needs an `endpoint`). A value that is
 * still percent-encoded after decoding (double encoding) is not JSON and is refused.
 */
function pushTarget(name: 'notify' | 'deliver', raw: string): JsonObject | string {
	let value: unknown;
	try {
		value = JSON.parse(raw);
	} catch {
		return `Invalid ${name} parameter: expected URL-encoded JSON such as {"type":"webhook","endpoint":"https://…"}`;
	}
	if (!isObject(value) || typeof value.type !== 'string') return `Invalid ${name} parameter: a JSON object with a "type" is required`;
	if (name === 'notify' && value.type !== 'webhook' && value.type !== 'email') return 'Invalid notify parameter: type must be "webhook" or "email"';
	if (value.type === 'webhook' && typeof value.endpoint !== 'string') return `Invalid ${name} parameter: a webhook needs an "endpoint"`;
	return value;
}

export function dataset(request: ParsedRequest, ctx: EmulatorContext): Reply {
	const id = request.query.id;
	if (!id) return errorJson(400, 'Missing id parameter');
	const job = ctx.jobs.get(id);
	if (!job) return snapshotNotFound();

	const format = job.collector.alwaysNdjson ? 'ndjson' : wantedFormat(request, ctx);
	if (ctx.jobs.isExpired(job)) return ctx.settings.expiredResponse === '404' ? snapshotNotFound() : datasetReply([], format);
	if (!job.end) return pendingReply(job, ctx);
	return finishedDataset(job, format, ctx);
}

/**
 * The last dataset answer rendered for each collector. A finished job's rows depend only on its
 * collector, inputs and end, so a later request for them (the bench fetches a million-row dataset
 * again and again, tens of seconds of rendering each time) reuses it. Bounded: one per collector.
 */
const lastRendered = new WeakMap<CollectorSpec, { key: string; reply: Reply }>();

function finishedDataset(job: BatchJob, format: 'json' | 'ndjson', ctx: EmulatorContext): Reply {
	const end = job.end!;
	// The end reason only shapes the rows of inputs that never completed.
	const reason = end.completed < job.inputs.length ? end.reason : '';
	const key = JSON.stringify([format, end.status, end.completed, reason, job.inputs]);
	const last = lastRendered.get(job.collector);
	if (last?.key === key) return last.reply;
	const reply = datasetReply(ctx.jobs.eachRow(job), format);
	lastRendered.set(job.collector, { key, reply });
	return reply;
}

const snapshotNotFound = (): Reply => errorJson(404, 'Snapshot does not exist or has expired');

/** `format=json` → JSON; `format=ndjson|jsonl` → NDJSON; otherwise the configured default. */
export function wantedFormat(request: ParsedRequest, ctx: EmulatorContext): 'json' | 'ndjson' {
	const format = request.query.format?.toLowerCase();
	if (format === 'json') return 'json';
	if (format === 'ndjson' || format === 'jsonl') return 'ndjson';
	return ctx.settings.datasetDefaultFormat;
}

/** 202 (or 200 for `pendingAs200` collectors) `{status, message: "…try again in Ns"}`, or `{status}` without a hint. */
function pendingReply(job: BatchJob, ctx: EmulatorContext): Reply {
	const { statusWord = 'building', pendingAs200 } = job.collector;
	const word = statusWord === 'alternate' ? (job.polls % 2 === 0 ? 'building' : 'collecting') : statusWord;
	job.polls += 1;
	// Without a hint: the quickstart's bare form.
	if (!(job.collector.pendingHint ?? ctx.settings.pendingHint)) return json(pendingAs200 ? 200 : 202, { status: word });
	const message = `Dataset is not ready yet, try again in ${ctx.jobs.secondsLeft(job)}s`;
	return json(pendingAs200 ? 200 : 202, { status: word, message });
}
