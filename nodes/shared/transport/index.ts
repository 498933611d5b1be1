import {
	NodeApiError,
	NodeOperationError,
	type JsonObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { now, secondsToMs, sleepUnlessCancelled, timing } from '../timing';
import { checkBaseUrl } from './baseUrl';
import { discard, readableFactory, readText, RequestTimer, timedStream, type ReadableFactory, type ReadTextResult } from './body';
import {
	apiMessage,
	describeSubject,
	LateAnswerError,
	mapApiError,
	mapLateAnswer,
	mapNetworkError,
	mapOversizedAnswer,
	shorten,
	type RequestSubject,
} from './errors';
import {
	MAX_ATTEMPTS,
	MAX_RETRY_AFTER_SECONDS,
	MAYBE_PROCESSED_STATUSES,
	parseRetryAfter,
	retryDelayMs,
	shouldRetryNetworkError,
	shouldRetryStatus,
	type RetryMode,
} from './retry';

export const CREDENTIAL_TYPE = 'brightDataScraperStudioApi';
export { DEFAULT_BASE_URL } from './baseUrl';

/** How much of an answer's body its excerpt is made from. */
const EXCERPT_SOURCE_LENGTH = 2000;
/** How much of an error answer is read: enough for any message, never a 100 MB body. */
const ERROR_BODY_BYTES = 64 * 1024;
/** The largest JSON answer read whole (job lists, collector lists); datasets are streamed instead. */
const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;
/** Redirects followed within the Base URL's origin; any to another origin is refused. */
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/dca/trigger`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	retry: RetryMode;
	subject: RequestSubject;
	/**
	 * Real ms the whole answer may take (default `timing.requestTimeoutMs`); for a streamed answer,
	 * its headers (the body then has `timing.streamTimeoutMs`).
	 */
	timeoutMs?: number;
	/**
	 * Epoch ms of the node's own timeout (Trigger and Wait's Timeout): no request, retry or
	 * backoff goes past it, and passing it throws a LateAnswerError.
	 */
	deadline?: number;
	/** Values sent with the request that an error must never show (delivery passwords). */
	secrets?: string[];
	/** Hand a successful answer's body over as a stream instead of text (large datasets). */
	stream?: boolean;
}

/** Any 2xx answer; the body stays text because datasets may arrive as NDJSON. */
export interface ApiResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: string;
	/** The start of the body with the token and other secrets redacted: for error messages. */
	excerpt: string;
	/** With `stream: true`, the body of a successful answer (`body` and `excerpt` are then empty). */
	stream?: AsyncIterable<Uint8Array>;
	/**
	 * With `stream: true`, when the host's body is a Node stream: makes Node Readables (for n8n's
	 * binary data store) of what is read from `stream`, which keeps its deadline.
	 */
	toReadable?: ReadableFactory;
}

/** The credential's base URL without a trailing slash (see checkBaseUrl for the rules). */
export function resolveBaseUrl(ctx: RequestContext, raw: unknown): string {
	const checked = checkBaseUrl(raw);
	if (!checked.ok) throw new NodeOperationError(ctx.getNode(), checked.message, { description: checked.description });
	return checked.baseUrl;
}

export function cancelSignal(ctx: RequestContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/**
 * The same context without the execution's cancel signal, for the clean-up requests sent
 * after a stop (n8n attaches that signal, already fired, to every request it makes).
 */
export function detachedFromCancellation(ctx: IExecuteFunctions): IExecuteFunctions {
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => undefined } }) as IExecuteFunctions;
}

/** Stops work once the user stops the execution. n8n recognises a cancellation by the word "canceled". */
export function throwIfCancelled(ctx: RequestContext): void {
	if (cancelSignal(ctx)?.aborted) {
		throw new NodeOperationError(ctx.getNode(), 'The execution was canceled');
	}
}

function networkErrorCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } })?.cause;
	const code = cause?.code ?? (error as { code?: unknown })?.code;
	return typeof code === 'string' ? code : undefined;
}

/** A whole streamed body as text (small answers only: see readText for bounded reading). */
export async function streamText(stream: AsyncIterable<Uint8Array>): Promise<string> {
	return (await readText(stream, MAX_JSON_BODY_BYTES)).text;
}

type RawResponse = { statusCode: number; headers: Record<string, unknown>; body: unknown };

/** Where a redirect may go: only within the Base URL's origin, so the token never reaches another host. */
function redirectTarget(
	ctx: RequestContext,
	response: RawResponse,
	from: string,
	origin: string,
	request: ApiRequest,
	hops: number,
): string {
	const about = describeSubject(request.subject);
	const location = typeof response.headers.location === 'string' ? response.headers.location : '';
	let target: URL | undefined;
	try {
		target = new URL(location, from);
	} catch {
		target = undefined;
	}
	const fail = (message: string, description: string) =>
		new NodeApiError(ctx.getNode(), { status: response.statusCode } as JsonObject, {
			message,
			description,
			httpCode: String(response.statusCode),
			itemIndex: request.subject.itemIndex,
		});
	if (!target) {
		throw fail(`The API answered ${about} with a redirect (${response.statusCode}) to an invalid address`, 'Check the Base URL of the credential.');
	}
	if (target.origin !== origin) {
		throw fail(
			`The API redirected ${about} to another host (${shorten(`${target.origin}${target.pathname}`)}); it was not followed`,
			'The API token is sent only to the Base URL of the credential. If Bright Data or your proxy moved, enter the new address as the Base URL.',
		);
	}
	if (hops >= MAX_REDIRECTS) {
		throw fail(`The API redirected ${about} more than ${MAX_REDIRECTS} times`, 'Check the Base URL of the credential and any proxy in front of it.');
	}
	return target.href;
}

/**
 * Sends one request and waits for its headers, but never past the timer: a peer that accepts
 * the connection and stays silent is cut off at the deadline.
 */
async function send(ctx: RequestContext, options: IHttpRequestOptions, timer: RequestTimer): Promise<RawResponse | 'late'> {
	const sent = ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options) as Promise<RawResponse>;
	const first = await Promise.race([sent, timer.expired]);
	if (first !== true) return first;
	// Too late: free the connection whenever it answers, and never report its failure.
	sent.then((response) => discard(response.body), () => undefined);
	return 'late';
}

/**
 * The one request helper: authenticates with the credential, follows redirects only within the
 * Base URL's origin, holds every answer to a deadline and a size limit, retries what is safe to
 * retry, and turns every failure into a NodeApiError that names the collector or snapshot.
 */
export async function apiRequest(this: RequestContext, request: ApiRequest): Promise<ApiResponse> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = resolveBaseUrl(this, credentials.baseUrl);
	const origin = new URL(baseUrl).origin;
	const secrets = [String(credentials.apiToken ?? ''), ...(request.secrets ?? [])];
	const signal = cancelSignal(this);
	const limitMs = request.timeoutMs ?? timing.requestTimeoutMs;
	const nodeDeadline = request.deadline ?? Infinity;
	const pastNodeDeadline = () => mapLateAnswer(this.getNode(), request.subject);
	let url = `${baseUrl}${request.path}`;
	let qs = request.qs;
	let hops = 0;

	for (let attempt = 1; ; ) {
		// The whole answer (the headers, for a streamed one) within the request limit, and never past the node's deadline.
		const timer = new RequestTimer(Math.min(now() + limitMs, nodeDeadline));
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs,
			body: request.body,
			headers: {
				Accept: 'application/json',
				...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			},
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			// An idle limit for the socket; the timer above is the limit for the whole answer.
			timeout: Math.max(1, Math.min(limitMs, timer.at - now())),
		};

		let answer: { response: RawResponse; text?: ReadTextResult } | { failure: unknown };
		try {
			const response = await send(this, options, timer);
			if (response === 'late') throw Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' });
			const streamed = request.stream && response.statusCode >= 200 && response.statusCode < 300;
			if (streamed || REDIRECT_STATUSES.has(response.statusCode)) {
				answer = { response };
			} else {
				const ok = response.statusCode >= 200 && response.statusCode < 300;
				const body = timedStream(response.body, timer, () => Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' }));
				answer = { response, text: await readText(body, ok ? MAX_JSON_BODY_BYTES : ERROR_BODY_BYTES) };
			}
		} catch (error) {
			answer = { failure: timer.passed && !(error as { code?: unknown }).code ? Object.assign(error as object, { code: 'ETIMEDOUT' }) : error };
		} finally {
			timer.cancel();
		}

		if ('failure' in answer) {
			throwIfCancelled(this);
			if (now() >= nodeDeadline) throw pastNodeDeadline();
			const code = networkErrorCode(answer.failure);
			if (attempt < MAX_ATTEMPTS && shouldRetryNetworkError(code, request.retry)) {
				await waitBeforeRetry(this, request, { attempt, answer: code ?? 'a network error', delayMs: retryDelayMs(attempt) }, nodeDeadline, pastNodeDeadline, signal);
				attempt++;
				continue;
			}
			throw mapNetworkError(this.getNode(), code, request.subject, {
				attempts: attempt,
				mayHaveBeenSent: request.retry === 'neverResend' && !shouldRetryNetworkError(code, request.retry),
			});
		}

		const { response, text } = answer;
		const { statusCode, headers } = response;
		if (REDIRECT_STATUSES.has(statusCode)) {
			discard(response.body);
			url = redirectTarget(this, response, url, origin, request, hops++);
			qs = undefined; // the new address carries its own query
			continue;
		}
		const ok = statusCode >= 200 && statusCode < 300;
		if (!text) return streamedAnswer(this, response, request, nodeDeadline);
		if (ok && text.truncated) throw mapOversizedAnswer(this.getNode(), request.subject, MAX_JSON_BODY_BYTES);
		const body = text.text;
		// Only the start: this runs for every answer.
		const excerpt = apiMessage(body.slice(0, EXCERPT_SOURCE_LENGTH), secrets);
		if (ok) return { statusCode, headers, body, excerpt };

		const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
		const waitsTooLong = retryAfterSeconds !== undefined && retryAfterSeconds > MAX_RETRY_AFTER_SECONDS;
		if (shouldRetryStatus(statusCode, request.retry) && (waitsTooLong || attempt < MAX_ATTEMPTS)) {
			// Bright Data asks for a pause past the node's deadline: On Timeout decides, not this answer.
			if (now() + secondsToMs(retryAfterSeconds ?? 0) >= nodeDeadline) throw pastNodeDeadline();
			if (!waitsTooLong) {
				const delayMs = retryDelayMs(attempt, retryAfterSeconds);
				await waitBeforeRetry(this, request, { attempt, answer: String(statusCode), delayMs }, nodeDeadline, pastNodeDeadline, signal);
				attempt++;
				continue;
			}
		}
		throw mapApiError(this.getNode(), { statusCode, body }, request.subject, {
			attempts: attempt,
			secrets,
			mayHaveBeenProcessed: request.retry === 'neverResend' && MAYBE_PROCESSED_STATUSES.has(statusCode),
			retryAfterSeconds: waitsTooLong ? retryAfterSeconds : undefined,
		});
	}
}

/**
 * A successful streamed answer (a dataset): its body may take up to `timing.streamTimeoutMs`,
 * never past the node's deadline. A body cut at the node's deadline ends with a LateAnswerError;
 * one cut at the stream limit looks like a broken download (the caller may fetch it again).
 */
function streamedAnswer(ctx: RequestContext, response: RawResponse, request: ApiRequest, nodeDeadline: number): ApiResponse {
	const bodyBy = Math.min(now() + timing.streamTimeoutMs, nodeDeadline);
	const timer = new RequestTimer(bodyBy);
	const late = () =>
		bodyBy >= nodeDeadline
			? mapLateAnswer(ctx.getNode(), request.subject)
			: mapNetworkError(ctx.getNode(), 'ETIMEDOUT', request.subject, { attempts: 1, mayHaveBeenSent: false });
	const { statusCode, headers } = response;
	return {
		statusCode,
		headers,
		body: '',
		excerpt: '',
		stream: timedStream(response.body, timer, late),
		toReadable: readableFactory(response.body),
	};
}

/** Sleeps before a retry, unless that would end after the node's deadline: then it is the deadline's error at once. */
async function waitBeforeRetry(
	ctx: RequestContext,
	request: ApiRequest,
	{ attempt, answer, delayMs }: { attempt: number; answer: string; delayMs: number },
	nodeDeadline: number,
	pastNodeDeadline: () => LateAnswerError,
	signal: AbortSignal | undefined,
): Promise<void> {
	// No point in waiting for a retry that could only start after the node has given up.
	if (now() + delayMs >= nodeDeadline) throw pastNodeDeadline();
	// Method, path and the subject's IDs only: never the query (it can carry delivery settings), body or headers.
	ctx.logger.debug(
		`Bright Data: ${request.method} ${request.path} for ${describeSubject(request.subject)} answered ${answer}, attempt ${attempt} of ${MAX_ATTEMPTS}; retrying in ${(delayMs / timing.msPerSecond).toFixed(1)} s`,
	);
	await sleepUnlessCancelled(delayMs, signal);
	throwIfCancelled(ctx);
}

/** A JSON answer body; one that is not JSON becomes an error that names what was asked. */
export function parseJsonBody<T>(ctx: RequestContext, response: ApiResponse, subject: RequestSubject): T {
	try {
		return JSON.parse(response.body) as T;
	} catch {
		throw new NodeApiError(ctx.getNode(), { statusCode: response.statusCode } as JsonObject, {
			message: 'Bright Data sent an answer that is not JSON',
			description: `It said: "${response.excerpt.slice(0, 80)}". Try again; if it persists, Bright Data may have changed this endpoint.`,
			itemIndex: subject.itemIndex,
		});
	}
}
