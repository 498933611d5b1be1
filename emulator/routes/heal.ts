/** AI Flow, self-heal side: …/refactor_template, its progress, resume_automation_job, cancel_automation (ai-flow-api.md §2). */
import { JOBS_LIMIT_TEXT, MAX_PARALLEL_AI_JOBS } from '../aiFlow';
import type { EmulatorContext } from '../context';
import { errorJson, isObject, json, text } from '../http';
import { randomAlnum } from '../ids';
import type { InputObject, ParsedRequest, Reply } from '../types';

const MAX_PROMPT_LENGTH = 1000;

/** Create and heal jobs share the account's 3 slots ([UNKNOWN] whether heals count; they do here). */
export const aiSlotsTaken = (ctx: EmulatorContext): boolean => ctx.ai.running() + ctx.heals.running() >= MAX_PARALLEL_AI_JOBS;

/** `{"id":"ia_…","queued":false}`; 400 / 422 for a bad prompt; 409 while a heal runs or waits; 429 at the limit. */
export function refactorTemplate(request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	const collector = ctx.collectors.get(id);
	if (!collector) return errorJson(404, 'Collector not found');
	const body = isObject(request.body) ? request.body : {};
	const { prompt, custom_input: customInput = [] } = body;
	if (typeof prompt !== 'string' || !prompt.trim() || prompt.length > MAX_PROMPT_LENGTH) return errorJson(400, 'Invalid prompt');
	if (/[<>]/.test(prompt)) return errorJson(422, 'Invalid message');
	if (!Array.isArray(customInput) || !customInput.every(isObject)) return errorJson(400, 'Invalid custom_input');
	if (ctx.heals.active(id)) return errorJson(409, 'Another refactor job is still in progress');
	if (aiSlotsTaken(ctx)) return text(429, JOBS_LIMIT_TEXT);
	const job = ctx.heals.start(collector, prompt, customInput as InputObject[], `ia_${randomAlnum(12)}`);
	return json(200, { id: job.id, queued: false });
}

export function refactorProgress(_request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	if (!ctx.collectors.has(id)) return errorJson(404, 'Collector not found');
	const progress = ctx.heals.progress(id);
	return progress ? json(200, progress) : errorJson(404, 'No automation job for this collector');
}

/** `{"message": true|false, "auto_save"?: true}` at the gate → 200, no body; anywhere else 400 `Invalid ide automation`. */
export function resumeAutomation(request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	if (!ctx.collectors.has(id)) return errorJson(404, 'Collector not found');
	const body = isObject(request.body) ? request.body : {};
	if (typeof body.message !== 'boolean') return errorJson(422, 'Invalid message');
	if (!ctx.heals.resume(id, body.message, body.auto_save === true)) return errorJson(400, 'Invalid ide automation');
	return { status: 200, headers: {}, body: '' };
}

/** `{"type":"refactor"}` → 200 `OK`; 400 when no heal runs or waits. */
export function cancelAutomation(request: ParsedRequest, ctx: EmulatorContext, [id]: string[]): Reply {
	if (!ctx.collectors.has(id)) return errorJson(404, 'Collector not found');
	if (!isObject(request.body) || request.body.type !== 'refactor') return errorJson(400, 'Invalid type');
	return ctx.heals.cancel(id) ? text(200, 'OK') : errorJson(400, 'No refactor job in progress');
}
