import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
} from 'n8n-workflow';

import { plural } from '../../shared/plural';
import { isObject } from '../../shared/rows';
import {
	pollUntil,
	type Pending,
	type PollResult,
	type Probe,
} from '../../shared/snapshot/polling';
import { elapsedSeconds, secondsToMs } from '../../shared/timing';
import { apiRequest, cancelSignal, parseJsonBody } from '../../shared/transport';
import { asNodeError, LateAnswerError } from '../../shared/transport/errors';
import { logCollector } from '../records/log';

type AiDone = { kind: 'ready'; progress: IDataObject; aiJobId?: string };

/** Statuses that end an AI job without its result (notes §3). */
const FAILED_STATUSES = ['failed', 'error', 'cancelled', 'canceled'];

/** The status while the account's 3 AI job slots are taken (the start answered 429). */
const SLOT_WAIT = 'waiting for a free AI job slot';

/** Create and heal jobs: each has its own progress endpoint under the collector. */
type AiJobKind = 'create' | 'heal';
const PROGRESS_TAIL: Record<AiJobKind, string> = {
	create: 'automate_template/progress',
	heal: 'refactor_template/progress',
};

/** A create that stops at an approval gate has failed too, as the CLI says; a heal's gate is its proposal. */
const CREATE_FAILED_STATUSES = [...FAILED_STATUSES, 'pending_answer'];

/** Whether `status` ended an AI job of `kind` without its result: the wait loop and Get AI Status agree. */
export const aiJobFailed = (kind: AiJobKind, status: string): boolean =>
	(kind === 'create' ? CREATE_FAILED_STATUSES : FAILED_STATUSES).includes(status);

export const aiPath = (collectorId: string, tail: string) =>
	`/dca/collectors/${encodeURIComponent(collectorId)}/${tail}`;

/** GET …/automate_template/progress (or the heal's): `{step, completed_steps, status}`, plus the proposal at a heal's gate. */
export async function readAiProgress(
	ctx: IExecuteFunctions,
	collectorId: string,
	itemIndex: number,
	deadline?: number,
	kind: AiJobKind = 'create',
): Promise<IDataObject> {
	const subject = { collector: collectorId, itemIndex };
	const response = await apiRequest.call(ctx, {
		method: 'GET',
		path: aiPath(collectorId, PROGRESS_TAIL[kind]),
		retry: 'idempotent',
		subject,
		deadline,
	});
	const progress = parseJsonBody<unknown>(ctx, response, subject);
	return isObject(progress) ? progress : {};
}

/** A call that starts (or resumes) an AI job: never resent, since a start may be billed. */
interface AiStart {
	path: string;
	body: IDataObject;
	/** How the request is named in errors, e.g. "AI start request". */
	action: string;
	/** Added to any error's description: how to go on without starting a second job. */
	advice: string;
	/** The error for a 409 (a heal already running or waiting), when the job has one. */
	conflict?: () => NodeApiError;
}

/** Sends `start`; a 429 (3 AI jobs already run) is a pending state for the wait loop. Returns the job ID ('' when none). */
async function sendStart(
	ctx: IExecuteFunctions,
	collectorId: string,
	start: AiStart,
	itemIndex: number,
	deadline: number,
): Promise<string | Pending> {
	try {
		const response = await apiRequest.call(ctx, {
			method: 'POST',
			path: start.path,
			body: start.body,
			retry: 'neverResend',
			subject: { collector: collectorId, itemIndex, action: start.action },
			deadline,
			retryRateLimit: false,
		});
		const answer = response.body.trim()
			? parseJsonBody<unknown>(ctx, response, { collector: collectorId, itemIndex })
			: undefined;
		return isObject(answer) && typeof answer.id === 'string' ? answer.id : '';
	} catch (error) {
		// No retry pause past the Timeout: the wait loop reports it (a start already sent is awaited, see apiRequest).
		if (error instanceof LateAnswerError || cancelSignal(ctx)?.aborted)
			throw asNodeError(ctx.getNode(), error);
		if (error instanceof NodeApiError && error.httpCode === '429')
			return { kind: 'pending', status: SLOT_WAIT };
		if (error instanceof NodeApiError && error.httpCode === '409' && start.conflict)
			throw start.conflict();
		const failure = asNodeError(ctx.getNode(), error);
		failure.description = [failure.description, start.advice].filter(Boolean).join('\n');
		throw failure;
	}
}

type Explained = { message: string; description: string };

/** One AI job as the shared wait loop sees it: how it starts, which statuses end the wait, and what to say. */
export interface AiJobSpec {
	kind: AiJobKind;
	/** "AI job", "self-heal": in progress messages and logs. */
	label: string;
	start: AiStart;
	/** Statuses that end the wait with the progress as the result. */
	ready: (status: string) => boolean;
	returnAtOnce?: boolean;
	failed: (status: string, step: string) => Explained;
	/** Its message ends "within N s": the slot wait, if any, is added. */
	notStarted: () => Explained;
	notDone: (status: string) => Explained;
}

/** Starts the job of `spec` and waits with the shared loop until a ready status (or at once, with Return at Once). */
export async function runAiJob(
	ctx: IExecuteFunctions,
	collectorId: string,
	spec: AiJobSpec,
	timeoutSeconds: number,
	itemIndex: number,
	startedAt: number,
): Promise<AiDone> {
	let started: string | undefined;
	// First the start (retried while the 3 slots are taken), then the progress.
	const probe: Probe<AiDone> = {
		check: async (deadline) => {
			if (started === undefined) {
				const id = await sendStart(ctx, collectorId, spec.start, itemIndex, deadline);
				if (typeof id !== 'string') return id;
				started = id;
				logCollector(ctx, collectorId, `${spec.label}${id ? ` ${id}` : ''} started`);
				if (!spec.returnAtOnce) return { kind: 'pending', status: 'started' };
			}
			const progress = await readAiProgress(ctx, collectorId, itemIndex, deadline, spec.kind);
			const status = typeof progress.status === 'string' ? progress.status : 'unknown';
			if (spec.ready(status) || spec.returnAtOnce)
				return { kind: 'ready', progress, aiJobId: started || undefined };
			if (aiJobFailed(spec.kind, status)) {
				const { message, description } = spec.failed(status, String(progress.step));
				throw new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
			}
			const step = typeof progress.step === 'string' ? progress.step : undefined;
			return { kind: 'pending', status, message: step };
		},
	};
	let result: PollResult<AiDone>;
	try {
		result = await pollUntil(ctx, probe, {
			deadline: startedAt + secondsToMs(timeoutSeconds),
			startedAt,
			checkAtOnce: true,
			onPending: ({ status, message }) =>
				ctx.sendMessageToUI(
					`Bright Data collector ${collectorId}: ${spec.label} ${status}${message ? `, step ${message}` : ''}, ${elapsedSeconds(startedAt)} s`,
				),
		});
	} catch (error) {
		const stopped = cancelSignal(ctx)?.aborted;
		logCollector(
			ctx,
			collectorId,
			`${stopped ? 'the execution was stopped' : 'the wait failed'}: ${(error as Error).message}`,
		);
		throw asNodeError(ctx.getNode(), error);
	}
	if (result.kind === 'ready') {
		const waited = spec.returnAtOnce ? ', not waited for' : ` after ${elapsedSeconds(startedAt)} s`;
		logCollector(ctx, collectorId, `${spec.label} ${String(result.progress.status)}${waited}`);
		return result;
	}
	const { status, polls } = result;
	logCollector(
		ctx,
		collectorId,
		`not done within the timeout (status ${status}, ${plural(polls, 'check')})`,
	);
	// Only a start refused for want of a slot leaves this status.
	const slotWait = status === SLOT_WAIT ? ` (${SLOT_WAIT})` : '';
	const { message, description } = started === undefined ? spec.notStarted() : spec.notDone(status);
	throw new NodeOperationError(ctx.getNode(), `${message}${slotWait}`, { itemIndex, description });
}
