import { createHash, timingSafeEqual } from 'node:crypto';

export const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';

type HeaderValue = string | string[] | undefined;

const first = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value);

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Compares in constant time. Both sides are hashed first, so timingSafeEqual always gets two
 * 32-byte buffers and the time does not reveal the secret's length either.
 */
export function secretMatches(provided: string | undefined, expected: string): boolean {
	const match = timingSafeEqual(digest(provided ?? ''), digest(expected));
	return provided !== undefined && expected !== '' && match;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(authorization: HeaderValue): string | undefined {
	const match = /^\s*Bearer\s+(.+?)\s*$/i.exec(first(authorization) ?? '');
	return match?.[1];
}

/**
 * Whether the request carries the shared secret, in the configured header (any case) or as a
 * Bearer token. Both places are always checked, so the time does not tell which one was tried.
 */
export function requestHasSecret(
	headers: Record<string, HeaderValue>,
	secret: string,
	headerName: string = DEFAULT_SECRET_HEADER,
): boolean {
	const name = (headerName.trim() || DEFAULT_SECRET_HEADER).toLowerCase();
	const lowerCased = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
	const inHeader = secretMatches(first(lowerCased[name]), secret);
	const asBearer = secretMatches(bearerToken(lowerCased.authorization), secret);
	return inHeader || asBearer;
}
