/**
 * Job management and introspection (API doc §7): /dca/log/{id}, /dca/jobs/{id}/cancel|pause|resume,
 * /dca/jobs/{id}/rerun, /dca/jobs/{id}/hp_errors and /dca/collector/jobs.
 * Several of these answer text/plain, as documented.
 */
import type { EmulatorContext } from '../context';
import { errorJson, intParam, isObject, json, text } from '../http';
import type { BatchJob } from '../jobs';
import { inputIssue } from '../rows';
import type { JsonObject, ParsedRequest, Reply } from '../types';
import { collectionReply, deadlineMs } from './batch';

const jobGone = (): Reply => errorJson(404, 'Job does not exist or has expired');

/** Mixed-case keys of the documented /dca/log example (`logKeys: 'documented'`). */
const DOCUMENTED_LOG_KEYS: Record<string, string> = {
	id: 'Id',
	status: 'Status',
	collector: 'Collector',
	template: 'Template',
	inputs: 'Inputs',
	lines: 'Lines',
	fails: 'Fails',
	pages: 'Pages',
	pages_left: 'Pages_left',
	success: 'Success',
	navigations: 'Navigations',
	success_rate: 'Success_rate',
	job_time: 'Job_time',
	queue_time: 'Queue_time',
};

export function log(_request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	const job = ctx.jobs.get(id);
	if (!job || ctx.jobs.isExpired(job)) return jobGone();
	const body = logBody(job, ctx);
	if (ctx.settings.logKeys === 'lowercase') return json(200, body);
	return json(200, Object.fromEntries(Object.entries(body).map(([key, value]) => [DOCUMENTED_LOG_KEYS[key] ?? key, value])));
}

/** Fields a 'missing' log leaves out: every counter and duration. */
const PROGRESS_FIELDS = ['inputs', 'dup_inputs', 'lines', 'fails', 'pages', 'pages_left', 'success', 'navigations', 'success_rate', 'job_time', 'queue_time'];

function logBody(job: BatchJob, ctx: EmulatorContext): JsonObject {
	const progress = job.collector.logProgress ?? ctx.settings.logProgress;
	const reads = (job.logReads = (job.logReads ?? 0) + 1);
	const body = fullLogBody(job, ctx, progress === 'inconsistent' && !job.end && reads % 2 === 0);
	if (progress !== 'missing' || job.end) return body;
	return Object.fromEntries(Object.entries(body).filter(([key]) => !PROGRESS_FIELDS.includes(key)));
}

/** The documented fields; `stale`: the counters of half the run time ago, and pages_left above pages. */
function fullLogBody(job: BatchJob, ctx: EmulatorContext, stale: boolean): JsonObject {
	const runTime = ctx.jobs.runTimeMs(job);
	const stats = stale ? ctx.jobs.stats(job, ctx.clock.now() - runTime / 2) : ctx.jobs.stats(job);
	const body: JsonObject = {
		id: job.id,
		status: ctx.jobs.status(job),
		collector: job.collector.id,
		template: `t_${job.collector.id.slice(2)}.1`,
		inputs: stats.inputs,
		dup_inputs: stats.dupInputs,
		lines: stats.lines,
		fails: stats.fails,
		pages: stats.pages,
		pages_left: stats.pagesLeft,
		success: stats.success,
		navigations: stats.navigations,
		created: ctx.clock.iso(job.createdAt),
		started: ctx.clock.iso(ctx.jobs.startedAt(job)),
		finished: ctx.clock.iso(job.end?.at),
		trigger: ctx.settings.userEmail,
		success_rate: stats.inputs ? Math.round((stats.success / stats.inputs) * 100) / 100 : 0,
		job_time: Math.round(stale ? runTime / 2 : runTime),
		queue_time: Math.round(ctx.jobs.queueTimeMs(job)),
	};
	if (stale) body.pages_left = stats.pages + 1;
	return body;
}

/** POST /dca/jobs/{id}/cancel|pause|resume → text/plain "OK"; finished jobs → 400 text. */
export function jobAction(_request: ParsedRequest, ctx: EmulatorContext, [id, action]: string[]): Reply {
	const job = ctx.jobs.get(id);
	if (!job) return text(404, 'Job not found');
	const problem = action === 'cancel' ? ctx.jobs.cancel(job) : action === 'pause' ? ctx.jobs.pause(job) : ctx.jobs.resume(job);
	return problem ? text(400, problem) : text(200, 'OK');
}

/** POST /dca/jobs/{id}/rerun, optional body {"failed_only":1} → a new `collection_id`. */
export function rerun(request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	const job = ctx.jobs.get(id);
	if (!job || ctx.jobs.isExpired(job)) return jobGone();
	const { body } = request;
	if (request.bodyIsInvalidJson || (body !== undefined && !isObject(body))) {
		return errorJson(400, 'Request body must be a JSON object like {"failed_only":1}');
	}
	const failedOnly = isObject(body) && (body.failed_only === 1 || body.failed_only === true || body.failed_only === '1');
	const inputs = failedOnly ? ctx.jobs.failedInputs(job) : job.inputs;
	const rerunJob = ctx.jobs.create(job.collector, inputs, job.options, deadlineMs(job.options.deadline), job.id);
	return json(200, collectionReply(rerunJob, ctx));
}

/** GET /dca/jobs/{id}/hp_errors → `{errors:[{url, error, consumer}]}`; 400 / 404 as text. */
export function hpErrors(_request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	if (!/^[a-z]{1,3}_[a-z0-9]+$/.test(id)) return text(400, 'Invalid job ID supplied');
	const job = ctx.jobs.get(id);
	if (!job) return text(404, 'Job not found');
	return json(200, { errors: jobErrors(job, ctx) });
}

function jobErrors(job: BatchJob, ctx: EmulatorContext): JsonObject[] {
	const completed = job.end?.completed ?? ctx.jobs.stats(job).completed;
	const failedJob = job.end?.status === 'failed';
	return job.inputs.flatMap((input, index): JsonObject[] => {
		const url = typeof input.url === 'string' ? input.url : JSON.stringify(input);
		if (failedJob) return [{ url, error: 'Job failed: the scraper code threw an error', consumer: 'scraper' }];
		if (index >= completed) return job.end ? [{ url, error: job.end.reason === 'deadline' ? 'deadline_timeout' : 'aborted', consumer: 'scraper' }] : [];
		const issue = inputIssue(job.collector, input);
		return issue?.kind === 'error' ? [{ url, error: issue.error_code, consumer: 'scraper' }] : [];
	});
}

/** GET /dca/collector/jobs: dates and collector required (400 text), paged `{total, offset, limit, data}`. */
export function collectorJobs(request: ParsedRequest, ctx: EmulatorContext): Reply {
	const { from_date: from, to_date: to, collector: collectorId } = request.query;
	const isDate = (value: string | undefined): value is string => /^\d{4}-\d{2}-\d{2}$/.test(value ?? '');
	if (!isDate(from) || !isDate(to)) return text(400, 'Missing or invalid from_date / to_date (expected YYYY-MM-DD)');
	if (!collectorId) return text(400, 'Missing collector parameter');
	if (!ctx.collectors.has(collectorId)) return errorJson(404, 'Collector not found');

	const offset = Math.max(0, intParam(request.query.offset, 0));
	const limit = Math.min(500, Math.max(0, intParam(request.query.limit, 50)));
	const ascending = request.query.sort_asc === '1';
	const matching = ctx.jobs
		.all()
		.filter((job) => job.collector.id === collectorId)
		.filter((job) => {
			const day = new Date(job.createdAt).toISOString().slice(0, 10);
			return day >= from && day <= to;
		})
		.sort((a, b) => (ascending ? a.createdAt - b.createdAt : b.createdAt - a.createdAt));
	const data = matching.slice(offset, offset + limit).map((job) => jobListRow(job, ctx));
	return json(200, { total: matching.length, offset, limit, data });
}

/** One job-list row; per-collector rows omit `collector`, and cancelled is spelt "canceled" here. */
function jobListRow(job: BatchJob, ctx: EmulatorContext): JsonObject {
	const stats = ctx.jobs.stats(job);
	const status = ctx.jobs.status(job);
	return {
		id: job.id,
		status: status === 'cancelled' ? 'canceled' : status,
		queued: ctx.clock.iso(job.createdAt),
		started: ctx.clock.iso(ctx.jobs.startedAt(job)),
		finished: ctx.clock.iso(job.end?.at),
		inputs: stats.inputs,
		page_loads: stats.navigations,
		total_pages: stats.pages,
		failed_pages: stats.fails * (job.collector.pagesPerInput ?? 1),
		data_lines: stats.lines,
		trigger: { type: 'API', user: ctx.settings.userEmail, ip: '127.0.0.1' },
		expired: ctx.jobs.isExpired(job),
	};
}
