import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { offlineCredentialTest } from '../../shared/offlineCredentialTest';
import { sameSecret } from '../../shared/secret';

export const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';

export const SECRET_CREDENTIAL_TYPE = 'brightDataScraperStudioTriggerSecretApi';

interface SharedSecret {
	secret: string;
	headerName: string;
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The secret and header name of the credential, trimmed, with what is wrong with them. */
export function sharedSecretOf(data: ICredentialDataDecryptedObject): SharedSecret & { problems: string[] } {
	const secret = typeof data.secret === 'string' ? data.secret.trim() : '';
	const headerName = (typeof data.headerName === 'string' ? data.headerName.trim() : '') || DEFAULT_SECRET_HEADER;
	const problems = [
		...(secret ? [] : ['Secret is empty']),
		...(HEADER_NAME.test(headerName) ? [] : ['Header Name is not a valid HTTP header name']),
	];
	return { secret, headerName, problems };
}

export const testSecretCredential = offlineCredentialTest(
	(data) => sharedSecretOf(data).problems,
	'The fields are complete. Requests without this secret get 401 and start nothing.',
);

type HeaderValue = string | string[] | undefined;

const first = (value: HeaderValue): string | undefined => (Array.isArray(value) ? value[0] : value);

const BEARER = 'bearer';
const isSpace = (char: string): boolean => char !== '' && char.trim() === '';
/** A line break inside a header value: such a value is no token. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

// Read by hand, not with a regular expression: `\s*Bearer\s+(.+?)\s*$` backtracks over a value padded with spaces
// (tens of ms per request for a few KB).
export function bearerToken(authorization: HeaderValue): string | undefined {
	const value = (first(authorization) ?? '').trim();
	if (value.slice(0, BEARER.length).toLowerCase() !== BEARER || !isSpace(value.charAt(BEARER.length))) return undefined;
	const token = value.slice(BEARER.length).trim();
	return token && !LINE_BREAK.test(token) ? token : undefined;
}

/** The configured header or a Bearer token: both are always checked, so the time does not tell which one was tried. */
export function requestHasSecret(
	headers: Record<string, HeaderValue>,
	secret: string,
	headerName: string = DEFAULT_SECRET_HEADER,
): boolean {
	const name = (headerName.trim() || DEFAULT_SECRET_HEADER).toLowerCase();
	const lowerCased = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
	const inHeader = sameSecret(first(lowerCased[name]), secret);
	const asBearer = sameSecret(bearerToken(lowerCased.authorization), secret);
	return inHeader || asBearer;
}
