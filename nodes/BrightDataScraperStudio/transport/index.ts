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

import { sleepUnlessCancelled, timing } from '../helpers/timing';
import { apiMessage, mapApiError, mapNetworkError, type RequestSubject } from './errors';
import {
	MAX_ATTEMPTS,
	MAYBE_PROCESSED_STATUSES,
	parseRetryAfter,
	retryDelayMs,
	shouldRetryNetworkError,
	shouldRetryStatus,
	type RetryMode,
} from './retry';

export const CREDENTIAL_TYPE = 'brightDataScraperStudioApi';
export const DEFAULT_BASE_URL = 'https://api.brightdata.com';


/** How much of an answer's body its excerpt is made from. */
const EXCERPT_SOURCE_LENGTH = 2000;

export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions;

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, e.g. `/dca/trigger`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	retry: RetryMode;
	subject: RequestSubject;
	timeoutMs?: number;
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
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** The credential's base URL without a trailing slash; plain http only for loopback (tests, emulator). */
export function resolveBaseUrl(ctx: RequestContext, raw: unknown): string {
	const text = String(raw ?? '').trim() || DEFAULT_BASE_URL;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `The credential's Base URL "${text}" is not a valid URL`);
	}
	const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127(\.\d{1,3}){3}$/.test(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
		throw new NodeOperationError(ctx.getNode(), `The credential's Base URL must use https (got "${url.origin}")`, {
			description: 'Plain http is accepted only for 127.0.0.1 or localhost, where the Scraper Studio emulator runs.',
		});
	}
	return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
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

/** The body as a byte stream, also when a host's request helper answered with text instead. */
function byteStream(body: unknown): AsyncIterable<Uint8Array> {
	if (typeof body === 'object' && body !== null && Symbol.asyncIterator in body) return body as AsyncIterable<Uint8Array>;
	const bytes = new TextEncoder().encode(bodyText(body));
	return (async function* () {
		yield bytes;
	})();
}

/** A whole streamed body as text (error answers, which are small). */
export async function streamText(stream: AsyncIterable<Uint8Array>): Promise<string> {
	const decoder = new TextDecoder();
	let text = '';
	for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
	return text + decoder.decode();
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

/**
 * The one request helper: authenticates with the credential, retries what is safe to retry,
 * and turns every failure into a NodeApiError that names the collector or snapshot.
 */
export async function apiRequest(this: RequestContext, request: ApiRequest): Promise<ApiResponse> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${resolveBaseUrl(this, credentials.baseUrl)}${request.path}`,
		qs: request.qs,
		body: request.body,
		headers: {
			Accept: 'application/json',
			...(request.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
		},
		encoding: request.stream ? 'stream' : 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? timing.requestTimeoutMs,
	};
	const signal = cancelSignal(this);

	for (let attempt = 1; ; attempt++) {
		let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
		try {
			response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, { ...options });
		} catch (error) {
			throwIfCancelled(this);
			const code = networkErrorCode(error);
			if (attempt < MAX_ATTEMPTS && shouldRetryNetworkError(code, request.retry)) {
				await sleepUnlessCancelled(retryDelayMs(attempt), signal);
				throwIfCancelled(this);
				continue;
			}
			throw mapNetworkError(this.getNode(), code, request.subject, {
				attempts: attempt,
				mayHaveBeenSent: request.retry === 'neverResend' && !shouldRetryNetworkError(code, request.retry),
			});
		}

		const { statusCode, headers } = response;
		const ok = statusCode >= 200 && statusCode < 300;
		if (ok && request.stream) return { statusCode, headers, body: '', excerpt: '', stream: byteStream(response.body) };
		const body = request.stream ? await streamText(byteStream(response.body)) : bodyText(response.body);
		const secrets = [String(credentials.apiToken ?? ''), ...(request.secrets ?? [])];
		// Only the start: a dataset body can be 100 MB, and this runs for every answer.
		const excerpt = apiMessage(body.slice(0, EXCERPT_SOURCE_LENGTH), secrets);
		if (ok) return { statusCode, headers, body, excerpt };
		if (attempt < MAX_ATTEMPTS && shouldRetryStatus(statusCode, request.retry)) {
			await sleepUnlessCancelled(retryDelayMs(attempt, parseRetryAfter(headers['retry-after'])), signal);
			throwIfCancelled(this);
			continue;
		}
		throw mapApiError(this.getNode(), { statusCode, body }, request.subject, {
			attempts: attempt,
			secrets,
			mayHaveBeenProcessed: request.retry === 'neverResend' && MAYBE_PROCESSED_STATUSES.has(statusCode),
		});
	}
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
