/**
 * Real-time collection (API doc §5): POST /dca/trigger_immediate, GET /dca/get_result (long-poll)
 * and POST /dca/crawl (synchronous, falls back to a response_id after its timeout).
 */
import type { EmulatorContext } from '../context';
import { errorJson, json, parseSeconds } from '../http';
import type { RealtimeResponse } from '../realtime';
import type { ParsedRequest, Reply } from '../types';
import { findCollector, singleInput } from './common';

/** Documented long-poll bounds for `timeout=Xs`. */
const MIN_TIMEOUT_S = 25;
const MAX_TIMEOUT_S = 50;

export function triggerImmediate(request: ParsedRequest, ctx: EmulatorContext): Reply {
	const collector = findCollector(request, ctx);
	if (!collector.ok) return collector.reply;
	if (!ctx.realtime.admit(ctx.settings.triggerImmediateLimitPerMinute)) return errorJson(429, 'Too Many Requests');
	const input = singleInput(request, collector.value);
	if (!input.ok) return input.reply;

	const response = ctx.realtime.create(collector.value, input.value, 'trigger_immediate');
	return json(ctx.settings.triggerImmediateStatus, { response_id: response.id });
}

export async function getResult(request: ParsedRequest, ctx: EmulatorContext): Promise<Reply> {
	const id = request.query.response_id;
	if (!id) return errorJson(400, 'Missing response_id parameter');
	const response = ctx.realtime.get(id);
	if (!response) return errorJson(404, 'Response does not exist or has expired');

	const timeout = parseSeconds(request.query.timeout);
	if (timeout !== undefined) await waitUntilReady(response, clampTimeout(timeout), ctx);
	return ctx.realtime.isReady(response) ? json(200, ctx.realtime.result(response)) : json(202, { pending: true });
}

export async function crawl(request: ParsedRequest, ctx: EmulatorContext): Promise<Reply> {
	const collector = findCollector(request, ctx);
	if (!collector.ok) return collector.reply;
	const timeout = parseSeconds(request.query.timeout);
	if (timeout === undefined) return errorJson(400, `Missing or invalid timeout parameter; use ${MIN_TIMEOUT_S}s to ${MAX_TIMEOUT_S}s`);
	const input = singleInput(request, collector.value);
	if (!input.ok) return input.reply;

	const response = ctx.realtime.create(collector.value, input.value, 'crawl');
	await waitUntilReady(response, clampTimeout(timeout), ctx);
	if (ctx.realtime.isReady(response)) return json(200, ctx.realtime.result(response));
	return json(202, {
		error: 'crawl_results_timeout',
		message:
			'Timeout waiting for crawl results. The crawl continues in the background; ' +
			`poll GET /dca/get_result?response_id=${response.id} for the result`,
		response_id: response.id,
	});
}

function clampTimeout(seconds: number): number {
	return Math.min(MAX_TIMEOUT_S, Math.max(MIN_TIMEOUT_S, seconds));
}

/** Holds the request until the response is ready or `timeoutSeconds` (emulated) have passed. */
async function waitUntilReady(response: RealtimeResponse, timeoutSeconds: number, ctx: EmulatorContext): Promise<void> {
	const waitMs = Math.min(ctx.realtime.msLeft(response), timeoutSeconds * 1000);
	if (waitMs > 0) await ctx.clock.sleep(waitMs, ctx.closing);
}
