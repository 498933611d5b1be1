import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { plural } from '../../shared/plural';
import { isObject } from '../../shared/rows';
import { pollUntil, type Pending, type PollResult, type Probe } from '../../shared/snapshot/polling';
import { elapsedSeconds, secondsToMs } from '../../shared/timing';
import { apiRequest, cancelSignal, parseJsonBody } from '../../shared/transport';
import { asNodeError, LateAnswerError } from '../../shared/transport/errors';
import type { AiOptions } from '../parameters/options';
import { logCollector } from '../records/log';

/** What the AI is asked to build: one page of the site and what to extract from it. */
export interface AiRequest {
	url: string;
	description: string;
}

export type AiDone = { kind: 'ready'; progress: IDataObject; aiJobId?: string };

/** Statuses that end a create job without a collector (notes §3; the CLI fails on pending_answer too). */
const FAILED = new Set(['failed', 'error', 'cancelled', 'canceled', 'pending_answer']);

/** The status while the account's 3 AI job slots are taken (the start answered 429). */
const SLOT_WAIT = 'waiting for a free AI job slot';

const aiPath = (collectorId: string, tail: string) => `/dca/collectors/${encodeURIComponent(collectorId)}/${tail}`;

/** How to go on with a collector whose AI job did not start, instead of creating another. */
export const goOnWith = (collectorId: string): string =>
	`Collector ${collectorId} exists. Get AI Status with it shows whether its AI job started; to start it without creating another collector, run Create with AI again with the option "Existing Collector ID" set to ${collectorId}.`;

/** POST /dca/collector: the collector entity, without code. Never resent: a second would be a second collector. */
export async function createCollector(ctx: IExecuteFunctions, name: string, itemIndex: number): Promise<string> {
	const response = await apiRequest
		.call(ctx, {
			method: 'POST',
			path: '/dca/collector',
			body: { name, deliver: { type: 'api_pull' } },
			retry: 'neverResend',
			subject: { itemIndex, action: 'request to create a collector' },
		})
		.catch((error: unknown) => {
			const failure = asNodeError(ctx.getNode(), error);
			// A lost answer may still have made the collector: going on with it beats making a second.
			if (!cancelSignal(ctx)?.aborted) failure.description = [failure.description, `If a collector named "${name}" now shows in Scraper Studio, go on with it: run again with the option "Existing Collector ID" set to its ID.`].filter(Boolean).join('\n');
			throw failure;
		});
	const answer = parseJsonBody<unknown>(ctx, response, { itemIndex });
	const id = isObject(answer) ? answer.id : undefined;
	if (typeof id === 'string' && id) return id;
	throw new NodeApiError(ctx.getNode(), { body: response.excerpt }, {
		message: 'Bright Data created a collector but sent no ID',
		description: `It was not sent again. Look for a new collector named "${name}" in Scraper Studio before running again. Bright Data said: ${response.excerpt}`,
		itemIndex,
	});
}

/** GET …/automate_template/progress: `{step, completed_steps, status}`. */
export async function readAiProgress(ctx: IExecuteFunctions, collectorId: string, itemIndex: number, deadline?: number): Promise<IDataObject> {
	const subject = { collector: collectorId, itemIndex };
	const response = await apiRequest.call(ctx, { method: 'GET', path: aiPath(collectorId, 'automate_template/progress'), retry: 'idempotent', subject, deadline });
	const progress = parseJsonBody<unknown>(ctx, response, subject);
	return isObject(progress) ? progress : {};
}

/** POST …/automate_template, never resent; a 429 (3 AI jobs already run) is a pending state for the wait loop. */
async function startAiJob(ctx: IExecuteFunctions, collectorId: string, request: AiRequest, itemIndex: number, deadline: number): Promise<string | Pending> {
	try {
		const response = await apiRequest.call(ctx, {
			method: 'POST',
			path: aiPath(collectorId, 'automate_template'),
			body: { description: request.description, urls: [request.url] },
			retry: 'neverResend',
			subject: { collector: collectorId, itemIndex, action: 'AI start request' },
			deadline,
		});
		const answer = parseJsonBody<unknown>(ctx, response, { collector: collectorId, itemIndex });
		return isObject(answer) && typeof answer.id === 'string' ? answer.id : '';
	} catch (error) {
		if (error instanceof LateAnswerError || cancelSignal(ctx)?.aborted) throw asNodeError(ctx.getNode(), error);
		if (error instanceof NodeApiError && error.httpCode === '429') return { kind: 'pending', status: SLOT_WAIT };
		const failure = asNodeError(ctx.getNode(), error);
		failure.description = [failure.description, goOnWith(collectorId)].filter(Boolean).join('\n');
		throw failure;
	}
}

/**
 * The AI job as the wait loop sees it: first its start (retried while the account's 3 slots are
 * taken), then its progress until done. `started` tells a timeout before the start from one after.
 */
function aiJobProbe(ctx: IExecuteFunctions, collectorId: string, request: AiRequest, itemIndex: number, returnAtOnce: boolean) {
	const state: { started: boolean; aiJobId?: string } = { started: false };
	const probe: Probe<AiDone> = {
		check: async (deadline) => {
			if (!state.started) {
				const started = await startAiJob(ctx, collectorId, request, itemIndex, deadline);
				if (typeof started !== 'string') return started;
				Object.assign(state, { started: true, aiJobId: started || undefined });
				logCollector(ctx, collectorId, `AI job${started ? ` ${started}` : ''} started`);
				if (!returnAtOnce) return { kind: 'pending', status: 'started' };
			}
			const progress = await readAiProgress(ctx, collectorId, itemIndex, deadline);
			const status = typeof progress.status === 'string' ? progress.status : 'unknown';
			if (status === 'done' || returnAtOnce) return { kind: 'ready', progress, aiJobId: state.aiJobId };
			if (FAILED.has(status)) {
				throw new NodeOperationError(ctx.getNode(), `The AI job of collector "${collectorId}" ended with status ${status} (step ${String(progress.step)})`, {
					itemIndex,
					description: `Bright Data's AI could not build the collector. Check that the URL is one page of the site and that the description says plainly which fields to extract. ${goOnWith(collectorId)}`,
				});
			}
			return { kind: 'pending', status, message: typeof progress.step === 'string' ? progress.step : undefined };
		},
	};
	return { probe, state };
}

/** Starts the AI job on `collectorId` and waits with the shared loop until it is done (or at once, with Return at Once). */
export async function runAiJob(
	ctx: IExecuteFunctions,
	collectorId: string,
	request: AiRequest,
	{ timeoutSeconds, returnAtOnce }: AiOptions,
	itemIndex: number,
	startedAt: number,
): Promise<AiDone> {
	const { probe, state } = aiJobProbe(ctx, collectorId, request, itemIndex, returnAtOnce);
	let result: PollResult<AiDone>;
	try {
		result = await pollUntil(ctx, probe, {
			deadline: startedAt + secondsToMs(timeoutSeconds),
			startedAt,
			checkAtOnce: true,
			onPending: ({ status, message }) =>
				ctx.sendMessageToUI(`Bright Data collector ${collectorId}: AI job ${status}${message ? `, step ${message}` : ''}, ${elapsedSeconds(startedAt)} s`),
		});
	} catch (error) {
		const stopped = cancelSignal(ctx)?.aborted;
		logCollector(ctx, collectorId, `${stopped ? 'the execution was stopped' : 'the wait failed'}: ${(error as Error).message}`);
		throw asNodeError(ctx.getNode(), error);
	}
	if (result.kind === 'ready') {
		logCollector(ctx, collectorId, returnAtOnce ? `AI job ${String(result.progress.status)}, not waited for` : `AI job done after ${elapsedSeconds(startedAt)} s`);
		return result;
	}
	logCollector(ctx, collectorId, `not done within the timeout (status ${result.status}, ${plural(result.polls, 'check')})`);
	if (!state.started) {
		throw new NodeOperationError(ctx.getNode(), `Collector "${collectorId}" was created, but its AI job did not start within ${timeoutSeconds} s${result.status === SLOT_WAIT ? ` (${SLOT_WAIT})` : ''}`, {
			itemIndex,
			description: `Bright Data runs at most 3 AI jobs per account at once. ${goOnWith(collectorId)}`,
		});
	}
	throw new NodeOperationError(ctx.getNode(), `The AI job of collector "${collectorId}" was not done after ${timeoutSeconds} s (status: ${result.status})`, {
		itemIndex,
		description: `Bright Data keeps working on it (5 to 15 minutes, up to 25 on complex targets). Get AI Status with collector ${collectorId} reads its progress; raise the Timeout option to wait longer.`,
	});
}
