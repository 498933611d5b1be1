import {
	NodeOperationError,
	jsonParse,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { isObject } from '../../../shared/rows';
import { now } from '../../../shared/timing';
import { aiCollectorLocator } from '../../descriptions/collector';
import { runAiJob } from '../../jobs/aiFlow';
import { AWAITING_APPROVAL, describeProposal, healJob } from '../../jobs/heal';
import { healTimeout } from '../../options/ai';
import { optionsCollection } from '../../options/option';
import { forEachItem } from '../../output/items';
import { readAiText } from '../../parameters/aiText';
import { readCollector } from '../../parameters/inputs';
import { recordCollectorId } from '../../records/customData';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Self-Heal',
	value: 'heal',
	description:
		"Have Bright Data's AI repair a collector from a prompt, and get its proposed change (summary, diff, preview rows) for approval",
	action: 'Self-heal collector',
	subtitle: 'Self-Heal Collector',
};

/** Bright Data refuses longer prompts (notes §2). */
const MAX_PROMPT_LENGTH = 1000;

export const properties: INodeProperties[] = [
	aiCollectorLocator,
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'e.g. The price comes back empty since the site changed; fix it and add rating',
		description: `What is wrong and what the collector should do, in plain words (at most ${MAX_PROMPT_LENGTH} characters, no angle brackets)`,
	},
	optionsCollection([
		{
			displayName: 'Test Inputs',
			name: 'testInputs',
			type: 'json',
			default: '[]',
			placeholder: 'e.g. [{ "url": "https://shop.example/product/123" }]',
			description:
				'Input objects the proposed code is tried on; its preview rows come from them. Default: none (Bright Data picks its own).',
		},
		healTimeout.property,
	]),
];

/** Options → Test Inputs: a JSON array of input objects (or one given as an expression). */
function readTestInputs(ctx: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const raw = (ctx.getNodeParameter('options.testInputs', itemIndex, '[]') as unknown) ?? '[]';
	const value: unknown =
		typeof raw === 'string' ? jsonParse(raw.trim() || '[]', { fallbackValue: undefined }) : raw;
	if (Array.isArray(value) && value.every(isObject)) return value;
	throw new NodeOperationError(ctx.getNode(), 'Test Inputs must be a JSON array of input objects', {
		itemIndex,
		description:
			'For example [{ "url": "https://shop.example/product/123" }], with the fields of the collector\'s input schema; or [] for none.',
	});
}

/** POST …/refactor_template, then the shared wait until Bright Data proposes a change (or the job ends). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		const prompt = readAiText(this, itemIndex, {
			name: 'prompt',
			max: MAX_PROMPT_LENGTH,
			refuseAngleBrackets: true,
			advice:
				'Say what is wrong and where, in words, e.g. "The price comes back empty since the site changed; it now shows next to the Buy button".',
		});
		const testInputs = readTestInputs(this, itemIndex);
		const timeoutSeconds = healTimeout.read(this, itemIndex);
		const startedAt = now();
		recordCollectorId(this, collectorId);
		const spec = healJob(this, collectorId, { prompt, testInputs }, timeoutSeconds, itemIndex);
		const { progress, aiJobId } = await runAiJob(
			this,
			collectorId,
			spec,
			timeoutSeconds,
			itemIndex,
			startedAt,
		);
		const awaiting = progress.status === AWAITING_APPROVAL;
		const { summary, changes } = awaiting
			? describeProposal(progress)
			: { summary: 'Bright Data ended the self-heal without proposing a change.', changes: {} };
		const { diff, preview_result: previewResult, ...status } = progress;
		const json: IDataObject = {
			collector_id: collectorId,
			...(aiJobId ? { ai_job_id: aiJobId } : {}),
			...status,
			awaiting_approval: awaiting,
			summary,
			...changes,
		};
		if (awaiting) Object.assign(json, { diff: diff ?? null, preview_result: previewResult ?? [] });
		return [{ json, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
