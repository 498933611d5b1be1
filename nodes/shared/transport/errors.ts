import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { MAX_JSON_BODY_BYTES } from './body';

/** What a request was about, so an error can name it. */
export interface RequestSubject {
	collector?: string;
	snapshotId?: string;
	itemIndex?: number;
	/** What a billed request does, for "The <action> for … may have reached Bright Data", e.g. "trigger request". */
	action?: string;
}

/** `text` cut to `max` characters, for anything a user typed or a peer sent that goes into a message. */
export function shorten(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Every form a secret can take in an answer: as is, URL-encoded, JSON-escaped, base64. */
function secretForms(secret: string): string[] {
	const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(secret)));
	return [
		...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), base64]),
	];
}

/** Replaces each secret (the token, delivery passwords) in any of its forms. */
function redact(text: string, secrets: string[]): string {
	return secrets
		.filter((secret) => secret.length >= 4)
		.flatMap(secretForms)
		.reduce((result, form) => result.split(form).join('[redacted]'), text);
}

const ESCAPES = [/\\u([0-9a-fA-F]{4})/g, /\\x([0-9a-fA-F]{2})/g, /%([0-9a-fA-F]{2})/g];

/** Undoes the escapes a peer can hide a secret behind in plain text, in this order: \uXXXX, \xXX and %XX. */
function decodeEscapes(text: string): string {
	const decode = (_: string, hex: string) => String.fromCharCode(parseInt(hex, 16));
	return ESCAPES.reduce((decoded, escape) => decoded.replace(escape, decode), text);
}

// The API's words (JSON `error`/`message`, else the text). Redacted after decoding escapes, then cut, so no part
// of a secret survives at the cut.
export function apiMessage(body: string, secrets: string[] = []): string {
	const text = body.trim();
	let words: string | undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed && typeof parsed === 'object') {
			const { error, message } = parsed as { error?: unknown; message?: unknown };
			const parts = [error, message].filter(
				(part): part is string => typeof part === 'string' && part !== '',
			);
			if (parts.length) words = parts.join(': ');
		}
	} catch {
		// Plain-text body: management endpoints answer text/plain.
	}
	// Redacted before decoding too: a token that itself contains "%41" would not match afterwards.
	return shorten(redact(decodeEscapes(redact(words ?? text, secrets)), secrets), 300);
}

export function describeSubject({ collector, snapshotId }: RequestSubject): string {
	if (snapshotId) return `snapshot "${snapshotId}"`;
	if (collector) return `collector "${collector}"`;
	return 'the request';
}

/** The message and description of an unsuccessful answer, by status. */
function explain(statusCode: number, subject: RequestSubject, attempts: number): [string, string] {
	const about = describeSubject(subject);
	const retried = attempts > 1 ? ` It was tried ${attempts} times.` : '';
	if (statusCode === 401)
		return [
			// The collector picker shows only the message, so without a subject the message carries the fix.
			about === 'the request'
				? 'Bright Data rejected the API token (401): copy it again into the "Bright Data Scraper Studio API" credential'
				: `Bright Data rejected the API token (401) for ${about}`,
			'The token is missing, mistyped or revoked. Copy it again from Account Settings → API Tokens in the Bright Data control panel and update the "Bright Data Scraper Studio API" credential.',
		];
	if (statusCode === 403)
		return [
			`Bright Data denied access (403) to ${about}`,
			'The token works but may not use this collector. Check that the collector is published and belongs to the account of this token.',
		];
	if (statusCode === 404 && subject.snapshotId)
		return [
			`Snapshot "${subject.snapshotId}" does not exist or has expired (404)`,
			'Bright Data keeps batch snapshots for 16 days, then deletes them. Check the snapshot ID (it is the collection_id the Trigger operation returned).',
		];
	if (statusCode === 404)
		return [
			`${subject.collector ? `Collector "${subject.collector}"` : 'The resource'} was not found (404)`,
			'Check the collector ID (it starts with "c_", see Scraper Studio → My scrapers) and that the account of this token has access to it.',
		];
	if (statusCode === 422)
		return [
			`The inputs do not match the input schema of ${about} (422)`,
			'Each input object must have exactly the fields defined on the collector\'s Inputs tab. With Input Source "Incoming Items", set "Fields to Send" to "Selected Fields" when the items carry other fields; with "JSON", check the objects in Inputs.',
		];
	if (statusCode === 429)
		return [
			`Bright Data is rate limiting requests (429) for ${about}`,
			`Too many requests in a short time.${retried} Run fewer executions at once or wait a minute and run again.`,
		];
	if (statusCode >= 500)
		return [
			`Bright Data had a server error (${statusCode}) for ${about}`,
			`This is usually temporary.${retried} Try again in a few minutes.`,
		];
	return [
		`Bright Data refused ${about} (${statusCode})`,
		'Check the parameters of this node against the message from Bright Data below.',
	];
}

/** The one place that turns an unsuccessful API answer into the error users see. */
export function mapApiError(
	node: INode,
	{ statusCode, body }: { statusCode: number; body: string },
	subject: RequestSubject,
	{
		attempts = 1,
		secrets = [],
		mayHaveBeenProcessed = false,
		retryAfterSeconds,
	}: {
		attempts?: number;
		secrets?: string[];
		mayHaveBeenProcessed?: boolean;
		retryAfterSeconds?: number;
	} = {},
): NodeApiError {
	const [message, explained] = explain(statusCode, subject, attempts);
	// A gateway error on a billed request: the API behind it may have started the job anyway.
	let description = mayHaveBeenProcessed
		? 'A gateway answered, so the request may still have reached Bright Data. It was not sent again, so no second job is billed: look for a new job of this collector in the control panel (or with Job → Get Many) before running again.'
		: explained;
	if (retryAfterSeconds !== undefined)
		description += ` Bright Data asked to wait ${Math.round(retryAfterSeconds)} s before trying again, too long to wait inside an execution.`;
	const detail = apiMessage(body, secrets);
	if (detail) description += `\nBright Data said: ${detail}`;
	const data = { status: statusCode, body: detail };
	return apiError(node, data, [message, description], subject, statusCode);
}

/** A NodeApiError that shows `message` as written: n8n swaps one that mentions a code like ECONNRESET for its own. */
function apiError(
	node: INode,
	data: JsonObject,
	[message, description]: [string, string],
	subject: RequestSubject,
	httpCode?: number,
	Kind: typeof NodeApiError = NodeApiError,
): NodeApiError {
	const error = new Kind(node, data, {
		message,
		description,
		httpCode: httpCode === undefined ? undefined : String(httpCode),
		itemIndex: subject.itemIndex,
	});
	error.message = message;
	return error;
}

/** A failure with no HTTP answer: refused, reset, timed out. */
export function mapNetworkError(
	node: INode,
	code: string | undefined,
	subject: RequestSubject,
	{ attempts, mayHaveBeenSent }: { attempts: number; mayHaveBeenSent: boolean },
): NodeApiError {
	const reason = code ?? 'network error';
	const about = describeSubject(subject);
	const explained: [string, string] = mayHaveBeenSent
		? [
				`The ${subject.action ?? 'request'} for ${about} failed after it may have reached Bright Data (${reason})`,
				'It was not sent again, so no second job is billed. Look for a new job of this collector in the Bright Data control panel (or with Job → Get or Job → Get Many) before running this again.',
			]
		: [
				`Could not reach Bright Data for ${about} (${reason})`,
				`Check the Base URL of the credential and the network of the n8n host.${attempts > 1 ? ` It was tried ${attempts} times.` : ''}`,
			];
	return apiError(node, { networkError: reason }, explained, subject);
}

/** The node's Timeout passed mid-request: callers that wait turn it into their On Timeout result. */
export class LateAnswerError extends NodeApiError {}

export function mapLateAnswer(node: INode, subject: RequestSubject): LateAnswerError {
	const message = `The node's timeout passed while waiting for Bright Data's answer about ${describeSubject(subject)}`;
	const description =
		'Raise the Timeout option, or choose what happens on a timeout with On Timeout.';
	const data = { networkError: 'deadline' };
	return apiError(node, data, [message, description], subject, undefined, LateAnswerError);
}

/** A JSON answer too large to read whole: no answer of these endpoints should come near it. */
export function mapOversizedAnswer(node: INode, subject: RequestSubject): NodeApiError {
	const message = `Bright Data's answer about ${describeSubject(subject)} is larger than ${MAX_JSON_BODY_BYTES / 1024 / 1024} MB`;
	const description =
		"It was not read to protect n8n's memory. Check the Base URL of the credential: the real API never sends such an answer here.";
	return apiError(node, { networkError: 'too large' }, [message, description], subject);
}

/** Redirects are never followed, so the token goes only to the Base URL (Bright Data's API does not redirect). */
export function mapRedirect(
	node: INode,
	statusCode: number,
	location: unknown,
	subject: RequestSubject,
): NodeApiError {
	const to =
		typeof location === 'string' && location ? ` to ${shorten(location.split('?')[0])}` : '';
	const message = `The API redirected ${describeSubject(subject)} (${statusCode})${to}; it was not followed`;
	const description =
		'The API token is sent only to the Base URL of the credential. If Bright Data or your proxy moved, enter the new address as the Base URL.';
	return apiError(node, { status: statusCode }, [message, description], subject, statusCode);
}

/** An error as n8n should show it: node errors as they are, anything else (a host quirk, a bug) wrapped. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error instanceof Error ? error : String(error));
}

/** The error code of a failed request (Node's, or its cause's), e.g. ECONNRESET. */
export function networkErrorCode(error: unknown): string | undefined {
	const cause = (error as { cause?: { code?: unknown } })?.cause;
	const code = cause?.code ?? (error as { code?: unknown })?.code;
	return typeof code === 'string' ? code : undefined;
}
