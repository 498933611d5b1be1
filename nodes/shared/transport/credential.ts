import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type ICredentialsDecrypted,
} from 'n8n-workflow';

import type { RequestContext } from './index';

const DEFAULT_BASE_URL = 'https://api.brightdata.com';

type BaseUrlCheck =
	| { ok: true; baseUrl: string }
	| { ok: false; message: string; description: string };

// The Base URL rule: https (http only for loopback), no user info, query or fragment; no trailing slash. Self-contained
// (no imports, outer names or URL): the credential's Test embeds its source in an expression, so both apply one rule.
export function checkBaseUrlText(raw: unknown): BaseUrlCheck {
	const fallback = 'https://api.brightdata.com';
	const text = String(raw ?? '').trim() || fallback;
	const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text;
	const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]+)([^?#\s]*)([?#][^\s]*)?$/.exec(text);
	if (!parts) {
		return {
			ok: false,
			message: `The credential's Base URL "${shown}" is not a valid URL`,
			description: `Enter a full address such as ${fallback}.`,
		};
	}
	const scheme = parts[1].toLowerCase();
	const authority = parts[2].toLowerCase();
	if (authority.includes('@') || parts[4]) {
		return {
			ok: false,
			message:
				"The credential's Base URL must not contain a user name, password, query string or fragment",
			description: `Enter only the address, such as ${fallback}; the API token goes in the API Token field.`,
		};
	}
	const host = authority.replace(/:\d*$/, '');
	const loopback =
		host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
	if (scheme !== 'https' && !(scheme === 'http' && loopback)) {
		const origin = `${scheme}://${authority}`;
		return {
			ok: false,
			message: `The credential's Base URL must use https (got "${origin.length > 100 ? `${origin.slice(0, 100)}…` : origin}")`,
			description:
				'Plain http is accepted only for 127.0.0.1 or localhost (a proxy or test server on this machine).',
		};
	}
	return { ok: true, baseUrl: `${scheme}://${authority}${parts[3].replace(/\/+$/, '')}` };
}

/** checkBaseUrlText, and an address Node.js can actually parse (a host name with a space is not one). */
export function checkBaseUrl(raw: unknown): BaseUrlCheck {
	const checked = checkBaseUrlText(raw);
	if (!checked.ok || URL.canParse(checked.baseUrl)) return checked;
	return {
		ok: false,
		message: `The credential's Base URL "${checked.baseUrl.slice(0, 100)}" is not a valid URL`,
		description: `Enter a full address such as ${DEFAULT_BASE_URL}.`,
	};
}

// A Base URL that breaks the rule fails the expression, so the Test sends nothing (no token). n8n's sandbox
// shows the Test only "invalid URL"; the nodes show the rule's words when they run.
export const TEST_BASE_URL_EXPRESSION = `={{ ((check) => { const result = check($credentials.baseUrl); if (!result.ok) { throw new Error(result.message + '. ' + result.description); } return result.baseUrl; })(${checkBaseUrlText}) }}`;

export const CREDENTIAL_TYPE = 'brightDataScraperStudioApi';

export interface ApiCredential {
	baseUrl: string;
	token: string;
	decrypted: ICredentialsDecrypted;
}

// n8n looks a credential up and decrypts it on every getCredentials, and a run polls many times and may have
// thousands of items: each credential type is read once per context (one run of the node; a resumed webhook call
// or an editor list search has its own context). An expression in it is resolved for the first item that reads it.
const credentialReads = new WeakMap<
	RequestContext,
	Map<string, Promise<ICredentialDataDecryptedObject>>
>();

export function credentialOnce(
	ctx: RequestContext,
	type: string,
	itemIndex?: number,
): Promise<ICredentialDataDecryptedObject> {
	const reads =
		credentialReads.get(ctx) ?? new Map<string, Promise<ICredentialDataDecryptedObject>>();
	credentialReads.set(ctx, reads);
	let read = reads.get(type);
	if (!read) {
		read = 'getInputData' in ctx ? ctx.getCredentials(type, itemIndex) : ctx.getCredentials(type);
		reads.set(type, read);
		// A failed read is not kept: the next request reads again.
		read.catch(() => reads.delete(type));
	}
	return read;
}

/** The API credential of this run, its Base URL checked by the rule (the check is cheap, the read is once). */
export async function apiCredential(ctx: RequestContext): Promise<ApiCredential> {
	const data = await credentialOnce(ctx, CREDENTIAL_TYPE);
	const checked = checkBaseUrl(data.baseUrl);
	if (!checked.ok)
		throw new NodeOperationError(ctx.getNode(), checked.message, {
			description: checked.description,
		});
	const { id, name = '' } = ctx.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
	const decrypted = { id: id ?? '', name, type: CREDENTIAL_TYPE, data };
	return { baseUrl: checked.baseUrl, token: String(data.apiToken ?? ''), decrypted };
}
