import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { offlineCredentialTest } from '../shared/offlineCredentialTest';
import { sameSecret } from '../shared/secret';

export const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';
export const SECRET_CREDENTIAL_TYPE = 'brightDataScraperStudioTriggerSecretApi';

/** The credential's secret and header name (an RFC 9110 token), trimmed, with what makes them unusable. */
function sharedSecretOf({ secret, headerName }: ICredentialDataDecryptedObject) {
	const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
	const header = text(headerName) || DEFAULT_SECRET_HEADER;
	const problems = [
		...(text(secret) ? [] : ['Secret is empty']),
		...(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)
			? []
			: ['Header Name is not a valid HTTP header name']),
	];
	return { secret: text(secret), header: header.toLowerCase(), problems };
}

export const testSecretCredential = offlineCredentialTest(
	(data) => sharedSecretOf(data).problems,
	'The fields are complete. Requests without this secret get 401 and start nothing.',
);

/**
 * Whether the request carries the credential's secret, in its header or as a Bearer token. Both are always compared,
 * so the time does not tell which one was tried.
 */
export async function hasSecret(ctx: IWebhookFunctions): Promise<boolean> {
	const { secret, header, problems } = sharedSecretOf(
		await ctx.getCredentials(SECRET_CREDENTIAL_TYPE),
	);
	// A credential that cannot match fails the webhook (n8n answers 500) rather than letting everyone in.
	if (problems.length) {
		const message = `The trigger's secret credential is not usable: ${problems.join('; ')}`;
		throw new NodeOperationError(ctx.getNode(), message);
	}
	const headers: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(ctx.getHeaderData()))
		headers[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
	const authorization =
		typeof headers.authorization === 'string' ? headers.authorization.trim() : '';
	// "Bearer", blank, the token (no line break in it). Read by hand: `\s*Bearer\s+(.+?)\s*$` backtracks over spaces.
	const token = /^bearer\s/i.test(authorization) ? authorization.slice(6).trim() : '';
	const bearer = token && !/[\n\r\u2028\u2029]/.test(token) ? token : undefined;
	const inHeader = sameSecret(headers[header], secret);
	return sameSecret(bearer, secret) || inHeader;
}
