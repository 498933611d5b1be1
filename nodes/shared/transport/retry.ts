import { secondsToMs } from '../timing';

/** How often a request is sent at most, first attempt included. */
export const MAX_ATTEMPTS = 5;
const BASE_DELAY_SECONDS = 1;
const MAX_DELAY_SECONDS = 30;
/** A longer Retry-After fails at once, saying how long: waiting minutes inside an execution helps nobody. */
export const MAX_RETRY_AFTER_SECONDS = 60;

/** Failures before a byte left this machine: the only ones safe to retry for a billed POST (a new job each time). */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

export type RetryMode =
	/** Reads: retry 429, 5xx and any network failure. */
	| 'idempotent'
	/** Billed writes: retry 429 and 5xx answers that say the job was not accepted, and failures before sending. */
	| 'neverResend';

/** 502 and 504 come from a gateway that may already have handed the request to the API. */
export const MAYBE_PROCESSED_STATUSES = new Set([502, 504]);

export function shouldRetryStatus(statusCode: number, mode: RetryMode): boolean {
	if (statusCode === 429) return true;
	if (statusCode < 500) return false;
	return mode === 'idempotent' || !MAYBE_PROCESSED_STATUSES.has(statusCode);
}

export function shouldRetryNetworkError(code: string | undefined, mode: RetryMode): boolean {
	if (mode === 'idempotent') return true;
	return code !== undefined && NOT_SENT_CODES.has(code);
}

/** Parses Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, nowMs = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/** Exponential backoff with equal jitter, or a longer Retry-After; the backoff is the floor, so "Retry-After: 0" is no storm. */
export function retryDelayMs(
	attempt: number,
	retryAfterSeconds?: number,
	random = Math.random,
): number {
	const exponential = Math.min(MAX_DELAY_SECONDS, BASE_DELAY_SECONDS * 2 ** (attempt - 1));
	const backoff = exponential / 2 + (random() * exponential) / 2;
	return secondsToMs(Math.max(Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS), backoff));
}
