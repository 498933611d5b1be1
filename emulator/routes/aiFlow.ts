/** AI Flow, create side: POST /dca/collector, …/automate_template and its progress (ai-flow-api.md §2). */
import { JOBS_LIMIT_TEXT } from '../aiFlow';
import type { EmulatorContext } from '../context';
import { errorJson, isObject, json, text } from '../http';
import type { ParsedRequest, Reply } from '../types';
import { aiSlotsTaken } from './heal';

const MAX_DESCRIPTION_LENGTH = 500;

/** The whole collector object, as the docs' example shows it. */
export function createCollector(request: ParsedRequest, ctx: EmulatorContext): Reply {
	if (request.bodyIsInvalidJson || (request.body !== undefined && !isObject(request.body))) return errorJson(400, 'Request body must be a JSON object');
	const name = isObject(request.body) && typeof request.body.name === 'string' && request.body.name.trim() ? request.body.name.trim() : 'New collector';
	const collector = ctx.ai.createCollector(name);
	ctx.collectors.set(collector.id, collector);
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
	return json(200, { id: collector.id, name, active: false, created: ctx.clock.iso(ctx.clock.now()), zone: `v__dca_${slug}_1`, history: [] });
}

/** `{"id":"ia_…","queued":false}`; 400 `Invalid description` / `Invalid urls`; 429 beyond 3 running jobs. */
export function automateTemplate(request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	const collector = ctx.collectors.get(id);
	if (!collector) return errorJson(404, 'Collector not found');
	const body = isObject(request.body) ? request.body : {};
	const { description, urls } = body;
	if (typeof description !== 'string' || !description.trim() || description.length > MAX_DESCRIPTION_LENGTH) return errorJson(400, 'Invalid description');
	if (!Array.isArray(urls) || urls.length !== 1 || typeof urls[0] !== 'string' || !URL.canParse(urls[0])) return errorJson(400, 'Invalid urls');
	// Plain text, as the CLI quotes it.
	if (aiSlotsTaken(ctx)) return text(429, JOBS_LIMIT_TEXT);
	const job = ctx.ai.start(collector, description);
	return json(200, { id: job.id, queued: false });
}

export function automateProgress(_request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	if (!ctx.collectors.has(id)) return errorJson(404, 'Collector not found');
	const progress = ctx.ai.progress(id);
	return progress ? json(200, progress) : errorJson(404, 'No automation job for this collector');
}
