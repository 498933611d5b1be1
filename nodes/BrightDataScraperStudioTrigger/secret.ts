import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { offlineCredentialTest } from '../shared/offlineCredentialTest';
import { sameSecret } from '../shared/secret';

export const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';

export const SECRET_CREDENTIAL_TYPE = 'brightDataScraperStudioTriggerSecretApi';

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The credential's secret and header name, trimmed, with what makes them unusable. */
function sharedSecretOf(data: ICredentialDataDecryptedObject): {
	secret: string;
	headerName: string;
	problems: string[];
} {
	const secret = typeof data.secret === 'string' ? data.secret.trim() : '';
	const headerName =
		(typeof data.headerName === 'string' ? data.headerName.trim() : '') || DEFAULT_SECRET_HEADER;
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

// Read by hand, not with a regular expression: `\s*Bearer\s+(.+?)\s*$` backtracks over a value padded with spaces
// (tens of ms per request for a few KB).
function bearerToken(authorization: HeaderValue): string | undefined {
	const value = (first(authorization) ?? '').trim();
	const space = value.charAt(BEARER.length);
	if (value.slice(0, BEARER.length).toLowerCase() !== BEARER || space === '' || space.trim() !== '')
		return undefined;
	const token = value.slice(BEARER.length).trim();
	// A value with a line break in it is no token.
	return token && !/[\n\r\u2028\u2029]/.test(token) ? token : undefined;
}

/**
 * Whether the request carries the credential's secret, in its header or as a Bearer token. Both are always compared,
 * so the time does not tell which one was tried.
 */
export async function hasSecret(ctx: IWebhookFunctions): Promise<boolean> {
	const { secret, headerName, problems } = sharedSecretOf(
		await ctx.getCredentials(SECRET_CREDENTIAL_TYPE),
	);
	// A credential that cannot match fails the webhook (n8n answers 500) rather than letting everyone in.
	if (problems.length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The trigger's secret credential is not usable: ${problems.join('; ')}`,
		);
	}
	const received = Object.entries(ctx.getHeaderData());
	const headers = Object.fromEntries(received.map(([name, value]) => [name.toLowerCase(), value]));
	const inHeader = sameSecret(first(headers[headerName.toLowerCase()]), secret);
	const asBearer = sameSecret(bearerToken(headers.authorization), secret);
	return inHeader || asBearer;
}
