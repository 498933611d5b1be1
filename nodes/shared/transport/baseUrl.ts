export const DEFAULT_BASE_URL = 'https://api.brightdata.com';

export type BaseUrlCheck = { ok: true; baseUrl: string; origin: string } | { ok: false; message: string; description: string };

/**
 * The one rule for the credential's Base URL: https (plain http only for a loopback address),
 * no user name or password, no query string or fragment. Returns it without a trailing slash.
 *
 * Self-contained on purpose (no imports, no outer names, regular expressions instead of URL):
 * the credential's Test request embeds its source in an n8n expression, so the Test button
 * and the nodes apply the very same rule.
 */
export function checkBaseUrlText(raw: unknown): BaseUrlCheck {
	const fallback = 'https://api.brightdata.com';
	const text = String(raw ?? '').trim() || fallback;
	const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text;
	const parts = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#\s]+)([^?#\s]*)([?#][^\s]*)?$/.exec(text);
	if (!parts) {
		return { ok: false, message: `The credential's Base URL "${shown}" is not a valid URL`, description: `Enter a full address such as ${fallback}.` };
	}
	const scheme = parts[1].toLowerCase();
	const authority = parts[2].toLowerCase();
	if (authority.includes('@') || parts[4]) {
		return {
			ok: false,
			message: "The credential's Base URL must not contain a user name, password, query string or fragment",
			description: `Enter only the address, such as ${fallback}; the API token goes in the API Token field.`,
		};
	}
	const host = authority.replace(/:\d*$/, '');
	const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
	if (scheme !== 'https' && !(scheme === 'http' && loopback)) {
		const origin = `${scheme}://${authority}`;
		return {
			ok: false,
			message: `The credential's Base URL must use https (got "${origin.length > 100 ? `${origin.slice(0, 100)}…` : origin}")`,
			description: 'Plain http is accepted only for 127.0.0.1 or localhost (a proxy or test server on this machine).',
		};
	}
	return { ok: true, baseUrl: `${scheme}://${authority}${parts[3].replace(/\/+$/, '')}`, origin: `${scheme}://${authority}` };
}

/** checkBaseUrlText, and an address Node.js can actually parse (a host name with a space is not one). */
export function checkBaseUrl(raw: unknown): BaseUrlCheck {
	const checked = checkBaseUrlText(raw);
	if (!checked.ok) return checked;
	try {
		return { ...checked, origin: new URL(checked.baseUrl).origin };
	} catch {
		return { ok: false, message: `The credential's Base URL "${checked.baseUrl.slice(0, 100)}" is not a valid URL`, description: `Enter a full address such as ${DEFAULT_BASE_URL}.` };
	}
}

/**
 * The Base URL for the credential's Test request, as an n8n expression running the same rule.
 * When the Base URL breaks it, the expression fails and the request has no address, so nothing
 * (no token) is sent. n8n's sandbox does not pass the rule's words on to the Test button (it
 * reports an invalid URL); the nodes show them when they run.
 */
export const TEST_BASE_URL_EXPRESSION = `={{ ((check) => { const result = check($credentials.baseUrl); if (!result.ok) { throw new Error(result.message + '. ' + result.description); } return result.baseUrl; })(${checkBaseUrlText}) }}`;
