import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

/** What a request was about, so an error can name it. */
export interface RequestSubject {
	collector?: string;
	snapshotId?: string;
	itemIndex?: number;
	/** What a billed request does, for "The <action> for … may have reached Bright Data", e.g. "trigger request". */
	action?: string;
}

const MAX_DETAIL_LENGTH = 300;

/** Replaces each secret (the token, delivery passwords) that an answer might echo. */
export function redact(text: string, secrets: string[]): string {
	return secrets.filter((secret) => secret.length >= 4).reduce((result, secret) => result.split(secret).join('[redacted]'), text);
}

/** The API's own words from an error body: JSON `error`/`message`, else the text itself, truncated, secrets redacted. */
export function apiMessage(body: string, secrets: string[] = []): string {
	const text = redact(body.trim(), secrets);
	try {
		const parsed: unknown = JSON.parse(text);
		if (parsed && typeof parsed === 'object') {
			const { error, message } = parsed as { error?: unknown; message?: unknown };
			const words = [error, message].filter((part) => typeof part === 'string' && part !== '');
			if (words.length) return words.join(': ').slice(0, MAX_DETAIL_LENGTH);
		}
	} catch {
		// Plain-text body: management endpoints answer text/plain.
	}
	return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

function describeSubject({ collector, snapshotId }: RequestSubject): string {
	if (snapshotId) return `snapshot "${snapshotId}"`;
	if (collector) return `collector "${collector}"`;
	return 'the request';
}

function explain(statusCode: number, subject: RequestSubject, attempts: number): { message: string; description: string } {
	const about = describeSubject(subject);
	const retried = attempts > 1 ? ` It was tried ${attempts} times.` : '';
	switch (statusCode) {
		case 401:
			return {
				message: `Bright Data rejected the API token (401) for ${about}`,
				description:
					'The token is missing, malformed or revoked. Copy it again from Account Settings → API Tokens in the Bright Data control panel and update the "Bright Data Scraper Studio API" credential.',
			};
		case 403:
			return {
				message: `Bright Data denied access (403) to ${about}`,
				description:
					'The token works but may not use this collector. Check that the collector is published and belongs to the account of this token.',
			};
		case 404:
			return subject.snapshotId
				? {
						message: `Snapshot "${subject.snapshotId}" does not exist or has expired (404)`,
						description:
							'Bright Data keeps batch snapshots for 16 days, then deletes them. Check the snapshot ID (it is the collection_id the Trigger operation returned).',
					}
				: {
						message: `${subject.collector ? `Collector "${subject.collector}"` : 'The resource'} was not found (404)`,
						description:
							'Check the collector ID (it starts with "c_", see Scraper Studio → My scrapers) and that the account of this token has access to it.',
					};
		case 422:
			return {
				message: `The inputs do not match the input schema of ${about} (422)`,
				description:
					'Each input object must have exactly the fields defined on the collector\'s Inputs tab. If the incoming items carry other fields, set "Fields to Send" to "Selected Fields".',
			};
		case 429:
			return {
				message: `Bright Data is rate limiting requests (429) for ${about}`,
				description: `Too many requests in a short time.${retried} Run fewer executions at once or wait a minute and run again.`,
			};
		default:
			return statusCode >= 500
				? {
						message: `Bright Data had a server error (${statusCode}) for ${about}`,
						description: `This is usually temporary.${retried} Try again in a few minutes.`,
					}
				: {
						message: `Bright Data refused ${about} (${statusCode})`,
						description: 'Check the parameters of this node against the message from Bright Data below.',
					};
	}
}

/** The one place that turns an unsuccessful API answer into the error users see. */
export function mapApiError(
	node: INode,
	response: { statusCode: number; body: string },
	subject: RequestSubject,
	{
		attempts = 1,
		secrets = [],
		mayHaveBeenProcessed = false,
	}: { attempts?: number; secrets?: string[]; mayHaveBeenProcessed?: boolean } = {},
): NodeApiError {
	const explained = explain(response.statusCode, subject, attempts);
	const { message } = explained;
	// A gateway error on a billed request: the API behind it may have started the job anyway.
	const description = mayHaveBeenProcessed
		? 'A gateway answered, so the request may still have reached Bright Data. It was not sent again, so no second job is billed: look for a new job of this collector in the control panel (or with Job → Get Many) before running again.'
		: explained.description;
	const detail = apiMessage(response.body, secrets);
	return new NodeApiError(node, { status: response.statusCode, body: detail } as JsonObject, {
		message,
		description: detail ? `${description}\nBright Data said: ${detail}` : description,
		httpCode: String(response.statusCode),
		itemIndex: subject.itemIndex,
	});
}

/** A failure with no HTTP answer: refused, reset, timed out. */
export function mapNetworkError(
	node: INode,
	code: string | undefined,
	subject: RequestSubject,
	options: { attempts: number; mayHaveBeenSent: boolean },
): NodeApiError {
	const reason = code ?? 'network error';
	const about = describeSubject(subject);
	const message = options.mayHaveBeenSent
		? `The ${subject.action ?? 'request'} for ${about} failed after it may have reached Bright Data (${reason})`
		: `Could not reach Bright Data for ${about} (${reason})`;
	const description = options.mayHaveBeenSent
		? 'It was not sent again, so no second job is billed. Look for a new job of this collector in the Bright Data control panel (or with Job → Get or Job → Get Many) before running this again.'
		: `Check the Base URL of the credential and the network of the n8n host.${options.attempts > 1 ? ` It was tried ${options.attempts} times.` : ''}`;
	const error = new NodeApiError(node, { networkError: reason } as JsonObject, {
		message,
		description,
		itemIndex: subject.itemIndex,
	});
	// NodeApiError swaps any message that mentions a code like ECONNRESET for a generic one; keep ours.
	error.message = message;
	return error;
}
