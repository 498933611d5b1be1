import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { now } from '../../../shared/timing';
import { runAiJob } from '../../jobs/aiFlow';
import { createCollector, createJob, type AiRequest } from '../../jobs/create';
import { createWithAiOptions, readAiOptions } from '../../options/ai';
import { optionsCollection } from '../../options/option';
import { forEachItem } from '../../output/items';
import { readAiText } from '../../parameters/aiText';
import { recordCollectorId } from '../../records/customData';
import { logCollector } from '../../records/log';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Create with AI',
	value: 'createWithAi',
	description:
		"Have Bright Data's AI write a new collector from one page of a site and a description of what to extract",
	action: 'Create collector with AI',
	subtitle: 'Create Collector with AI',
};

/** Bright Data refuses longer descriptions (400 Invalid description). */
const MAX_DESCRIPTION_LENGTH = 500;

export const properties: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://shop.example/product/echo-speaker',
		description: 'One page of the target site, of the kind the collector will scrape',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. Product title, price, currency and rating',
		description: `What to extract from such a page, in plain words (at most ${MAX_DESCRIPTION_LENGTH} characters)`,
	},
	{
		displayName: 'Collector Name',
		name: 'name',
		type: 'string',
		default: '',
		description:
			'The name shown in Scraper Studio. Default: "AI collector for" and the site\'s host.',
	},
	optionsCollection(createWithAiOptions),
];

/** The URL and description of item `itemIndex`, checked before any request. */
function readAiRequest(ctx: IExecuteFunctions, itemIndex: number): AiRequest {
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
	const url = String(ctx.getNodeParameter('url', itemIndex, '')).trim();
	// Whitespace or a second scheme: a list of URLs, which Bright Data refuses (it takes exactly one).
	const parsed =
		/\s/.test(url) || (url.match(/:\/\//g) ?? []).length > 1 || !URL.canParse(url)
			? undefined
			: new URL(url);
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
		throw fail(
			url ? 'URL must be one web address' : 'No URL given',
			'Give one page of the target site, starting with https://, e.g. https://shop.example/product/123.',
		);
	}
	const description = readAiText(ctx, itemIndex, {
		name: 'description',
		max: MAX_DESCRIPTION_LENGTH,
		advice:
			'Say in a sentence or two which fields to extract, e.g. "Product title, price, currency and rating".',
	});
	return { url, description };
}

/** POST /dca/collector (unless Existing Collector ID), then the AI job on it, waited for with the shared loop. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const request = readAiRequest(this, itemIndex);
		const options = readAiOptions(this, itemIndex);
		const startedAt = now();
		let collectorId = options.existingCollector;
		if (!collectorId) {
			const name =
				String(this.getNodeParameter('name', itemIndex, '')).trim() ||
				`AI collector for ${new URL(request.url).host}`;
			collectorId = await createCollector(this, name, itemIndex);
			logCollector(this, collectorId, `created ("${name}")`);
			recordCollectorId(this, collectorId);
		}
		const { progress, aiJobId } = await runAiJob(
			this,
			collectorId,
			createJob(collectorId, request, options),
			options.timeoutSeconds,
			itemIndex,
			startedAt,
		);
		return [
			{
				json: {
					collector_id: collectorId,
					...(aiJobId ? { ai_job_id: aiJobId } : {}),
					...progress,
				},
				pairedItem: { item: itemIndex },
			},
		];
	});
	return [output];
}
