import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { now, secondsToMs, sleepUnlessCancelled, timing } from '../timing';
import { apiCredential, CREDENTIAL_TYPE } from './credential';
import {
	discard,
	ERROR_BODY_BYTES,
	MAX_JSON_BODY_BYTES,
	readableFactory,
	readText,
	RequestTimer,
	timedStream,
	type ReadableFactory,
} from './body';
import {
	apiMessage,
	describeSubject,
	mapApiError,
	mapLateAnswer,
	mapNetworkError,
	mapOversizedAnswer,
	mapRedirect,
	networkErrorCode,
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

export { parseJsonBody, streamText } from './body';

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
	/** Real ms the whole answer (a streamed one: its headers) may take; default `timing.requestTimeoutMs`. */
	timeoutMs?: number;
	/**
	 * Epoch ms of the node's own Timeout: no request, retry or pause goes past it (LateAnswerError). A billed
	 * call already sent is the exception: its answer is awaited, since cut short it could not tell whether its job started.
	 */
	deadline?: number;
	/** Values sent with the request that an error must never show (delivery passwords). */
	secrets?: string[];
	/** Hand a successful answer's body over as a stream instead of text (large datasets). */
	stream?: boolean;
	/** False: a 429 is the caller's to wait out (its wait loop shows it and holds the Timeout). */
	retryRateLimit?: boolean;
	/**
	 * A clean-up request after the user stopped the execution (Cancel on Stop). n8n's httpRequestWithAuthentication
	 * attaches the fired cancel signal, so it goes through n8n's plain httpRequest with the credential's Bearer header.
	 */
	afterStop?: boolean;
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
	/** With `stream: true`: Node Readables of `stream` (which keeps its deadline), for n8n's binary data store. */
	toReadable?: ReadableFactory;
}

export function cancelSignal(ctx: RequestContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** Stops work once the user stops the execution. n8n recognises a cancellation by the word "canceled". */
export function throwIfCancelled(ctx: RequestContext): void {
	if (cancelSignal(ctx)?.aborted) {
		throw new NodeOperationError(ctx.getNode(), 'The execution was canceled');
	}
}

type RawResponse = { statusCode: number; headers: Record<string, unknown>; body: unknown };
const isOk = (statusCode: number) => statusCode >= 200 && statusCode < 300;

/** The one request helper: no redirects, a deadline and size limit on every answer, safe retries, errors naming the subject. */
export async function apiRequest(this: RequestContext, request: ApiRequest): Promise<ApiResponse> {
	const { baseUrl, token, decrypted } = await apiCredential(this);
	const node = this.getNode();
	const { subject, afterStop, retry } = request;
	const secrets = [token, ...(request.secrets ?? [])];
	const limitMs = request.timeoutMs ?? timing.requestTimeoutMs;
	const nodeDeadline = request.deadline ?? Infinity;
	const billed = retry === 'neverResend';
	const late = () => mapLateAnswer(node, subject);
	// After a stop the fired signal is ignored: no abort of the request or of a retry's pause.
	const signal = afterStop ? undefined : cancelSignal(this);

	// One attempt: the headers, then (unless streamed or redirected) the body as bounded text, all by the timer.
	const receive = async (
		timer: RequestTimer,
	): Promise<{ response: RawResponse; text?: string; truncated?: boolean }> => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: `${baseUrl}${request.path}`,
			qs: request.qs,
			body: request.body,
			headers: {
				Accept: 'application/json',
				...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
				// After a stop, sent without n8n's (fired) cancel signal: the header the credential's `authenticate` sends.
				...(afterStop ? { Authorization: `Bearer ${token}` } : {}),
			},
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			// An idle limit for the socket; the timer is the limit for the whole answer.
			timeout: Math.max(1, Math.min(limitMs, timer.at - now())),
		};
		const sent = (
			afterStop
				? this.helpers.httpRequest(options)
				: this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
						credentialsDecrypted: decrypted,
					})
		) as Promise<RawResponse>;
		const response = await timer.race(sent).catch((error: unknown) => {
			// Late or failed: free the connection if it answers after all, and never report that.
			sent.then(
				(late) => discard(late.body),
				() => undefined,
			);
			throw error;
		});
		const { statusCode } = response;
		if ((request.stream && isOk(statusCode)) || REDIRECT_STATUSES.has(statusCode))
			return { response };
		const body = timedStream(response.body, timer, () => new Error('no answer in time'));
		const maxBytes = isOk(statusCode) ? MAX_JSON_BODY_BYTES : ERROR_BODY_BYTES;
		return { response, ...(await readText(body, maxBytes)) };
	};

	for (let attempt = 1; ; attempt++) {
		// The whole answer (a streamed one: its headers) within the request limit, and but for a billed call (see
		// `deadline`) never past the node's deadline.
		const timer = new RequestTimer(Math.min(now() + limitMs, billed ? Infinity : nodeDeadline));
		let answer: Awaited<ReturnType<typeof receive>> | undefined;
		let code: string | undefined;
		try {
			answer = await receive(timer);
		} catch (error) {
			code = networkErrorCode(error) ?? (timer.passed ? 'ETIMEDOUT' : undefined);
		} finally {
			timer.cancel();
		}

		let delayMs: number;
		if (!answer) {
			if (!afterStop) throwIfCancelled(this);
			const retries = shouldRetryNetworkError(code, retry);
			const mayHaveBeenSent = billed && !retries;
			if (now() >= nodeDeadline && !mayHaveBeenSent) throw late();
			if (!retries || attempt >= MAX_ATTEMPTS)
				throw mapNetworkError(node, code, subject, { attempts: attempt, mayHaveBeenSent });
			delayMs = retryDelayMs(attempt);
		} else {
			const { statusCode, headers, body: raw } = answer.response;
			if (REDIRECT_STATUSES.has(statusCode)) {
				discard(raw);
				throw mapRedirect(node, statusCode, headers.location, subject);
			}
			if (answer.text === undefined) {
				// A streamed dataset may take `timing.streamTimeoutMs`, never past the node's deadline: cut there it is a
				// LateAnswerError, cut at the stream limit a broken download (the caller may fetch it again).
				const bodyBy = Math.min(now() + timing.streamTimeoutMs, nodeDeadline);
				const cut = () =>
					bodyBy >= nodeDeadline
						? late()
						: mapNetworkError(node, 'ETIMEDOUT', subject, { attempts: 1, mayHaveBeenSent: false });
				const stream = timedStream(raw, new RequestTimer(bodyBy), cut);
				return {
					statusCode,
					headers,
					body: '',
					excerpt: '',
					stream,
					toReadable: readableFactory(raw),
				};
			}
			const body = answer.text;
			if (isOk(statusCode)) {
				if (answer.truncated) throw mapOversizedAnswer(node, subject);
				// Only the start: this runs for every answer.
				return { statusCode, headers, body, excerpt: apiMessage(body.slice(0, 2000), secrets) };
			}
			const retryAfter = parseRetryAfter(headers['retry-after']);
			const waitsTooLong = retryAfter !== undefined && retryAfter > MAX_RETRY_AFTER_SECONDS;
			const retries =
				shouldRetryStatus(statusCode, retry) &&
				!(statusCode === 429 && request.retryRateLimit === false);
			// Bright Data asks for a pause past the node's deadline: On Timeout decides, not this answer.
			if (retries && waitsTooLong && now() + secondsToMs(retryAfter ?? 0) >= nodeDeadline)
				throw late();
			if (!retries || waitsTooLong || attempt >= MAX_ATTEMPTS)
				throw mapApiError(node, { statusCode, body }, subject, {
					attempts: attempt,
					secrets,
					mayHaveBeenProcessed: retry === 'neverResend' && MAYBE_PROCESSED_STATUSES.has(statusCode),
					retryAfterSeconds: waitsTooLong ? retryAfter : undefined,
				});
			delayMs = retryDelayMs(attempt, retryAfter);
		}

		// No pause that would end past the node's deadline (a Retry-After there included): its error at once.
		if (now() + delayMs >= nodeDeadline) throw late();
		// Method, path and the subject's IDs only: never the query (it can carry delivery settings), body or headers.
		this.logger.debug(
			`Bright Data: ${request.method} ${request.path} for ${describeSubject(subject)} answered ${code ?? answer?.response.statusCode ?? 'a network error'}, attempt ${attempt} of ${MAX_ATTEMPTS}; retrying in ${(delayMs / timing.msPerSecond).toFixed(1)} s`,
		);
		await sleepUnlessCancelled(delayMs, signal);
		if (!afterStop) throwIfCancelled(this);
	}
}
