import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { now } from '../../../shared/timing';
import { aiCollectorLocator } from '../../descriptions/collector';
import { runAiJob } from '../../jobs/aiFlow';
import { AWAITING_APPROVAL, describeProposal, resolveJob } from '../../jobs/heal';
import { resolveHealTimeout } from '../../options/ai';
import { optionsCollection } from '../../options/option';
import { forEachItem } from '../../output/items';
import { readCollector } from '../../parameters/inputs';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Approve or Reject Heal',
	value: 'resolveHeal',
	description:
		'Answer a self-heal that waits for approval, and wait until Bright Data has applied (or dropped) the change',
	action: 'Approve or reject heal of collector',
	subtitle: 'Approve or Reject Heal',
};

export const properties: INodeProperties[] = [
	aiCollectorLocator,
	{
		displayName: 'Decision',
		name: 'decision',
		type: 'options',
		options: [
			{ name: 'Approve', value: 'approve', description: 'Accept the proposed change' },
			{
				name: 'Reject',
				value: 'reject',
				description: "Drop the proposed change; the collector's code stays as it is",
			},
		],
		default: 'approve',
		description:
			'What to answer. Default Approve. From an approval step, use an expression that gives "approve" or "reject".',
	},
	{
		displayName: 'Save to Production',
		name: 'saveToProduction',
		type: 'boolean',
		default: true,
		displayOptions: { show: { decision: ['approve'] } },
		description:
			'Whether later runs use the healed code at once. Off: production runs keep the old code, and the healed code runs only with the option "Use Development Version" (Trigger and Wait, Trigger, Run Real-Time, Crawl).',
	},
	optionsCollection([resolveHealTimeout.property]),
];

/** What the answer did, for the person reading the output. */
function notice(approve: boolean, saved: boolean): string {
	if (!approve) return "Rejected: the collector's code is unchanged.";
	if (saved) return 'Approved and saved to production: later runs use the healed code.';
	return 'Approved but not saved to production: production runs keep the old code. To run the healed draft, turn on the option "Use Development Version" of Trigger and Wait (or Trigger, Run Real-Time, Crawl); to publish it, save it to production in Scraper Studio\'s IDE.';
}

/** POST …/resume_automation_job, then the shared wait until the job is done (or stops at a new gate). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const output = await forEachItem(this, async (itemIndex) => {
		const collectorId = readCollector(this, itemIndex);
		const approve = this.getNodeParameter('decision', itemIndex, 'approve') !== 'reject';
		const saved = approve && this.getNodeParameter('saveToProduction', itemIndex, true) === true;
		const timeoutSeconds = resolveHealTimeout.read(this, itemIndex);
		const startedAt = now();
		const { progress } = await runAiJob(
			this,
			collectorId,
			resolveJob(collectorId, approve, saved, timeoutSeconds),
			timeoutSeconds,
			itemIndex,
			startedAt,
		);
		const json: IDataObject = {
			collector_id: collectorId,
			decision: approve ? 'approve' : 'reject',
			saved_to_production: saved,
			...progress,
		};
		// A heal can stop at the gate more than once (notes §3): then this is the next proposal to answer.
		if (progress.status === AWAITING_APPROVAL)
			Object.assign(json, { awaiting_approval: true, ...describeProposal(progress) });
		else json.notice = notice(approve, saved);
		return [{ json, pairedItem: { item: itemIndex } }];
	});
	return [output];
}
