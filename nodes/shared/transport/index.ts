import {
	NodeApiError,
	NodeOperationError,
	type ICredentialsDecrypted,
	type JsonObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { now, secondsToMs, timing } from '../timing';
import { checkBaseUrl } from './baseUrl';
import {
	discard,
	readableFactory,
	readText,
	RequestTimer,
	timedStream,
	type ReadableFactory,
	type ReadTextResult,
} from './body';
import {
	apiMessage,
	mapApiError,
	mapLateAnswer,
	mapNetworkError,
	mapOversizedAnswer,
	mapRedirect,
	networkErrorCode,
	type RequestSubject,
} from './errors';
import { cancelSignal, throwIfCancelled } from './cancel';
import {
	MAX_ATTEMPTS,
	MAX_RETRY_AFTER_SECONDS,
	MAYBE_PROCESSED_STATUSES,
	parseRetryAfter,
	retryDelayMs,
	shouldRetryNetworkError,
	shouldRetryStatus,
	waitBeforeRetry,
	type RetryMode,
} from './retry';

export { cancelSignal, throwIfCancelled } from './cancel';

const CREDENTIAL_TYPE = 'brightDataScraperStudioApi';

/** How much of an answer's body its excerpt is made from. */
const EXCERPT_SOURCE_LENGTH = 2000;
/** How much of an error answer is read: enough for any message, never a 100 MB body. */
const ERROR_BODY_BYTES = 64 * 1024;
/** The largest JSON answer read whole (job lists, collector lists); datasets are streamed instead. */
const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;
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
	/** Epoch ms of the node's own Timeout: no request, retry or pause goes past it (LateAnswerError). */
	deadline?: number;
	/** Values sent with the request that an error must never show (delivery passwords). */
	secrets?: string[];
	/** Hand a successful answer's body over as a stream instead of text (large datasets). */
	stream?: boolean;
	/** False: a 429 is the caller's to wait out (its wait loop shows it and holds the Timeout). */
	retryRateLimit?: boolean;
	/**
	 * A clean-up request after the user stopped the execution (Cancel on Stop): it ignores the execution's
	 * cancel signal, which has fired. n8n's httpRequestWithAuthentication attaches that signal to every
	 * request, so this one goes through n8n's plain httpRequest with the credential's Bearer header.
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

/** A streamed body as text, at most MAX_JSON_BODY_BYTES (small answers only; the rest is dropped). */
export async function streamText(stream: AsyncIterable<Uint8Array>): Promise<string> {
	return (await readText(stream, MAX_JSON_BODY_BYTES)).text;
}

interface ApiCredential {
	baseUrl: string;
	token: string;
	decrypted: ICredentialsDecrypted;
}

// n8n decrypts the credential on every getCredentials, and a wait polls many times: read once per context
// (one run of the node; a resumed webhook call or an editor list search has its own context and reads again).
const credentialReads = new WeakMap<RequestContext, Promise<ApiCredential>>();

function apiCredential(ctx: RequestContext): Promise<ApiCredential> {
	let read = credentialReads.get(ctx);
	if (!read) {
		read = readCredential(ctx);
		credentialReads.set(ctx, read);
		// A failed read (a Base URL that breaks the rule) is not kept: the next request reads again.
		read.catch(() => credentialReads.delete(ctx));
	}
	return read;
}

async function readCredential(ctx: RequestContext): Promise<ApiCredential> {
	const data = await ctx.getCredentials(CREDENTIAL_TYPE);
	const checked = checkBaseUrl(data.baseUrl);
	if (!checked.ok)
		throw new NodeOperationError(ctx.getNode(), checked.message, {
			description: checked.description,
		});
	const { id = '', name = '' } = ctx.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
	const token = String(data.apiToken ?? '');
	return {
		baseUrl: checked.baseUrl,
		token,
		decrypted: { id: id ?? '', name, type: CREDENTIAL_TYPE, data },
	};
}

type RawResponse = { statusCode: number; headers: Record<string, unknown>; body: unknown };

/**
 * Sends one request and waits for its headers, never past the timer (a silent peer is cut off). With
 * `afterStop`, through n8n's httpRequest, which attaches no cancel signal, with the header the
 * credential's `authenticate` sends (credentials/BrightDataScraperStudioApi.credentials.ts).
 */
async function send(
	ctx: RequestContext,
	options: IHttpRequestOptions,
	timer: RequestTimer,
	credential: ApiCredential,
	afterStop?: boolean,
): Promise<RawResponse | 'late'> {
	// The credential read once (apiCredential): n8n's helper authenticates with it instead of reading it again.
	const sent = (
		!afterStop
			? ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options, {
					credentialsDecrypted: credential.decrypted,
				})
			: ctx.helpers.httpRequest({
					...options,
					headers: { ...options.headers, Authorization: `Bearer ${credential.token}` },
				})
	) as Promise<RawResponse>;
	const first = await Promise.race([sent, timer.expired]);
	if (first !== true) return first;
	// Too late: free the connection whenever it answers, and never report its failure.
	sent.then(
		(response) => discard(response.body),
		() => undefined,
	);
	return 'late';
}

/** The one request helper: no redirects, a deadline and size limit on every answer, safe retries, errors naming the subject. */
export async function apiRequest(this: RequestContext, request: ApiRequest): Promise<ApiResponse> {
	const credential = await apiCredential(this);
	const url = `${credential.baseUrl}${request.path}`;
	const secrets = [credential.token, ...(request.secrets ?? [])];
	// After a stop the fired signal is ignored: no abort of the request or of a retry's pause.
	const signal = request.afterStop ? undefined : cancelSignal(this);
	const limitMs = request.timeoutMs ?? timing.requestTimeoutMs;
	const nodeDeadline = request.deadline ?? Infinity;
	const pastNodeDeadline = () => mapLateAnswer(this.getNode(), request.subject);

	for (let attempt = 1; ; ) {
		// The whole answer (the headers, for a streamed one) within the request limit, and never past the node's deadline.
		const timer = new RequestTimer(Math.min(now() + limitMs, nodeDeadline));
		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			qs: request.qs,
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
			const response = await send(this, options, timer, credential, request.afterStop);
			if (response === 'late')
				throw Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' });
			const streamed = request.stream && response.statusCode >= 200 && response.statusCode < 300;
			if (streamed || REDIRECT_STATUSES.has(response.statusCode)) {
				answer = { response };
			} else {
				const ok = response.statusCode >= 200 && response.statusCode < 300;
				const body = timedStream(response.body, timer, () =>
					Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' }),
				);
				answer = {
					response,
					text: await readText(body, ok ? MAX_JSON_BODY_BYTES : ERROR_BODY_BYTES),
				};
			}
		} catch (error) {
			answer = {
				failure:
					timer.passed && !(error as { code?: unknown }).code
						? Object.assign(error as object, { code: 'ETIMEDOUT' })
						: error,
			};
		} finally {
			timer.cancel();
		}

		if ('failure' in answer) {
			if (!request.afterStop) throwIfCancelled(this);
			if (now() >= nodeDeadline) throw pastNodeDeadline();
			const code = networkErrorCode(answer.failure);
			if (attempt < MAX_ATTEMPTS && shouldRetryNetworkError(code, request.retry)) {
				await waitBeforeRetry(
					this,
					request,
					{ attempt, answer: code ?? 'a network error', delayMs: retryDelayMs(attempt) },
					nodeDeadline,
					pastNodeDeadline,
					signal,
				);
				attempt++;
				continue;
			}
			throw mapNetworkError(this.getNode(), code, request.subject, {
				attempts: attempt,
				mayHaveBeenSent:
					request.retry === 'neverResend' && !shouldRetryNetworkError(code, request.retry),
			});
		}

		const { response, text } = answer;
		const { statusCode, headers } = response;
		if (REDIRECT_STATUSES.has(statusCode)) {
			discard(response.body);
			throw mapRedirect(this.getNode(), statusCode, headers.location, request.subject);
		}
		const ok = statusCode >= 200 && statusCode < 300;
		if (!text) return streamedAnswer(this, response, request, nodeDeadline);
		if (ok && text.truncated)
			throw mapOversizedAnswer(this.getNode(), request.subject, MAX_JSON_BODY_BYTES);
		const body = text.text;
		// Only the start: this runs for every answer.
		const excerpt = apiMessage(body.slice(0, EXCERPT_SOURCE_LENGTH), secrets);
		if (ok) return { statusCode, headers, body, excerpt };

		const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
		const waitsTooLong =
			retryAfterSeconds !== undefined && retryAfterSeconds > MAX_RETRY_AFTER_SECONDS;
		const retries =
			shouldRetryStatus(statusCode, request.retry) &&
			!(statusCode === 429 && request.retryRateLimit === false);
		if (retries && (waitsTooLong || attempt < MAX_ATTEMPTS)) {
			// Bright Data asks for a pause past the node's deadline: On Timeout decides, not this answer.
			if (now() + secondsToMs(retryAfterSeconds ?? 0) >= nodeDeadline) throw pastNodeDeadline();
			if (!waitsTooLong) {
				const delayMs = retryDelayMs(attempt, retryAfterSeconds);
				await waitBeforeRetry(
					this,
					request,
					{ attempt, answer: String(statusCode), delayMs },
					nodeDeadline,
					pastNodeDeadline,
					signal,
				);
				attempt++;
				continue;
			}
		}
		throw mapApiError(this.getNode(), { statusCode, body }, request.subject, {
			attempts: attempt,
			secrets,
			mayHaveBeenProcessed:
				request.retry === 'neverResend' && MAYBE_PROCESSED_STATUSES.has(statusCode),
			retryAfterSeconds: waitsTooLong ? retryAfterSeconds : undefined,
		});
	}
}

// A streamed dataset may take `timing.streamTimeoutMs`, never past the node's deadline: cut there it is a
// LateAnswerError, cut at the stream limit a broken download (the caller may fetch it again).
function streamedAnswer(
	ctx: RequestContext,
	response: RawResponse,
	request: ApiRequest,
	nodeDeadline: number,
): ApiResponse {
	const bodyBy = Math.min(now() + timing.streamTimeoutMs, nodeDeadline);
	const timer = new RequestTimer(bodyBy);
	const late = () =>
		bodyBy >= nodeDeadline
			? mapLateAnswer(ctx.getNode(), request.subject)
			: mapNetworkError(ctx.getNode(), 'ETIMEDOUT', request.subject, {
					attempts: 1,
					mayHaveBeenSent: false,
				});
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

/** A JSON answer body; one that is not JSON becomes an error that names what was asked. */
export function parseJsonBody<T>(
	ctx: RequestContext,
	response: ApiResponse,
	subject: RequestSubject,
): T {
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
