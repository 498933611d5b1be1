import { NodeApiError, type IExecuteFunctions } from 'n8n-workflow';

import { isObject } from '../../shared/rows';
import { apiRequest, cancelSignal, parseJsonBody } from '../../shared/transport';
import { asNodeError } from '../../shared/transport/errors';
import type { AiOptions } from '../options/ai';
import { aiPath, type AiJobSpec } from './aiFlow';

export interface AiRequest {
	url: string;
	description: string;
}

/** How to go on with a collector whose AI job did not start, instead of creating another. */
const goOnWith = (collectorId: string): string =>
	`Collector ${collectorId} exists. Get AI Status with it shows whether its AI job started; to start it without creating another collector, run Create with AI again with the option "Existing Collector ID" set to ${collectorId}.`;

/** POST /dca/collector: the collector entity, without code. Never resent: a second would be a second collector. */
export async function createCollector(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
): Promise<string> {
	const response = await apiRequest
		.call(ctx, {
			method: 'POST',
			path: '/dca/collector',
			body: { name, deliver: { type: 'api_pull' } },
			retry: 'neverResend',
			subject: { itemIndex, action: 'request to create a collector' },
		})
		.catch((error: unknown) => {
			const failure = asNodeError(ctx.getNode(), error);
			// A lost answer may still have made the collector: going on with it beats making a second.
			if (!cancelSignal(ctx)?.aborted)
				failure.description = [
					failure.description,
					`If a collector named "${name}" now shows in Scraper Studio, go on with it: run again with the option "Existing Collector ID" set to its ID.`,
				]
					.filter(Boolean)
					.join('\n');
			throw failure;
		});
	const answer = parseJsonBody<unknown>(ctx, response, { itemIndex });
	const id = isObject(answer) ? answer.id : undefined;
	if (typeof id === 'string' && id) return id;
	throw new NodeApiError(
		ctx.getNode(),
		{ body: response.excerpt },
		{
			message: 'Bright Data created a collector but sent no ID',
			description: `It was not sent again. Look for a new collector named "${name}" in Scraper Studio before running again. Bright Data said: ${response.excerpt}`,
			itemIndex,
		},
	);
}

/** Create with AI: POST …/automate_template, waited for until done; pending_answer is a failure (notes §3, as the CLI). */
export function createJob(
	collectorId: string,
	request: AiRequest,
	{ timeoutSeconds, returnAtOnce }: AiOptions,
): AiJobSpec {
	const job = `The AI job of collector "${collectorId}"`;
	return {
		kind: 'create',
		label: 'AI job',
		start: {
			path: aiPath(collectorId, 'automate_template'),
			body: { description: request.description, urls: [request.url] },
			action: 'AI start request',
			advice: goOnWith(collectorId),
		},
		ready: (status) => status === 'done',
		returnAtOnce,
		failed: (status, step) => ({
			message: `${job} ended with status ${status} (step ${step})`,
			description: `Bright Data's AI could not build the collector. Check that the URL is one page of the site and that the description says plainly which fields to extract. ${goOnWith(collectorId)}`,
		}),
		notStarted: () => ({
			message: `Collector "${collectorId}" was created, but its AI job did not start within ${timeoutSeconds} s`,
			description: `Bright Data runs at most 3 AI jobs per account at once. ${goOnWith(collectorId)}`,
		}),
		notDone: (status) => ({
			message: `${job} was not done after ${timeoutSeconds} s (status: ${status})`,
			description: `Bright Data keeps working on it (5 to 15 minutes, up to 25 on complex targets). Get AI Status with collector ${collectorId} reads its progress; raise the Timeout option to wait longer.`,
		}),
	};
}
