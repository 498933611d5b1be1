// Wait Mode "Resume on Notification", first half: start the job with a `notify` URL that resumes this execution, and
// park it in n8n's database so no worker is held. Bright Data's call is resumeOnNotification.webhook.ts.
import { randomBytes } from 'crypto';
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPairedItemData,
} from 'n8n-workflow';

import { secretHash } from '../../../shared/secret';
import { MAX_SNAPSHOT_ID_LENGTH } from '../../../shared/snapshot/id';
import { checkSnapshot } from '../../../shared/snapshot/polling';
import { now, secondsToMs } from '../../../shared/timing';
import { errorAfterTrigger, planJobsFromItems, triggerJob } from '../../jobs/trigger';
import type { TriggeredJob } from '../../jobs/types';
import { itemsOf } from '../../output/items';
import { readerFor } from '../../output/datasetFile';
import { nodeOutputs, readyJobOutputs } from '../../output/shape';
import type { OutputSettings } from '../../options/output';
import { waitTimeout, type WaitOptions } from '../../options/wait';
import { MAX_VALUE_LENGTH } from '../../records/customData';
import { logEvent } from '../../records/log';
import { serializeState, STATE_KEY, type WaitState } from './resumeOnNotification.webhook';

/** n8n resumes the execution on its own this long after the job's deadline, if no notification came. */
const GRACE_SECONDS = 300;

/** Shown under Trigger and Wait's Wait Mode when it is "Resume on Notification". */
export const properties: INodeProperties[] = [
	{
		displayName: `Bright Data must be able to reach this n8n over the internet: set WEBHOOK_URL to its public address. Bright Data also ends the job when the timeout is reached. If no call comes within the timeout plus ${GRACE_SECONDS / 60} minutes, the node outputs the snapshot IDs with timed_out: true.`,
		name: 'notificationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitMode: ['notification'] } },
	},
];

/** The editor evaluates this source as a `waitingNodeTooltip` expression: self-contained, and no "}}". */
function waitingTooltip(
	parameters: {
		resource?: string;
		operation?: string;
		waitMode?: string;
		options?: { timeout?: unknown };
	},
	defaultTimeout: number,
	graceMinutes: number,
): string {
	const waits =
		(parameters.resource ?? 'collection') === 'collection' &&
		(parameters.operation ?? 'triggerAndWait') === 'triggerAndWait' &&
		parameters.waitMode === 'notification';
	if (!waits) return '';
	const timeout = parameters.options?.timeout ?? defaultTimeout;
	const limit =
		typeof timeout === 'number' && timeout > 0
			? `the timeout (${timeout} s)`
			: 'the Timeout option';
	return (
		`Waiting for Bright Data to call back when the job is done; the execution waits in the database meanwhile. ` +
		`If no call comes within ${limit} plus ${graceMinutes} minutes, the execution continues and this node outputs the snapshot IDs with timed_out: true.`
	);
}

export const waitingNodeTooltip = `={{ (${waitingTooltip})($parameter, ${waitTimeout.default}, ${GRACE_SECONDS / 60}) }}`;

// With no notification n8n resumes this node disabled, passing on its stack entry's input (n8n-core WorkflowExecute
// handleDisabledNode): set it to the timed-out item, or the incoming items would pass on and look like rows.
function leaveTimedOutItem(ctx: IExecuteFunctions, job: TriggeredJob): void {
	const timedOut: INodeExecutionData = {
		json: {
			snapshot_ids: [job.snapshotId],
			ready: false,
			timed_out: true,
			status: 'no notification from Bright Data',
		},
		pairedItem: itemsOf(job.inputs).map((item) => ({ item })),
	};
	ctx.getExecuteData().data = { main: [[timedOut]] };
}

/** A parked execution resumes with the webhook's output only, so error items would be lost: no job starts at all. */
function notStartedItems(
	ctx: IExecuteFunctions,
	invalidItems: INodeExecutionData[],
): INodeExecutionData[] {
	const invalid = new Map(
		invalidItems.map((item) => [(item.pairedItem as IPairedItemData).item, item]),
	);
	const [firstInvalid] = invalid.keys();
	const error = `Not sent to Bright Data: item ${firstInvalid} is invalid, and Resume on Notification starts the jobs only when every item is valid`;
	const description =
		'A waiting execution cannot carry error items over the wait. Fix or filter out the invalid items, or use Wait Mode "Poll", which outputs them as error items and goes on.';
	return ctx
		.getInputData()
		.map((_, item) => invalid.get(item) ?? { json: { error, description }, pairedItem: { item } });
}

/** Starts the job with a notify webhook and parks the execution until Bright Data calls back. */
export async function execute(
	this: IExecuteFunctions,
	{ wait, output: outputSettings }: { wait: WaitOptions; output: OutputSettings },
): Promise<INodeExecutionData[][]> {
	// n8n 2.8 gives nodes no execution custom data, where the wait is remembered: say so before any job starts.
	if (!this.customData) {
		throw new NodeOperationError(this.getNode(), 'Resume on Notification needs a newer n8n', {
			description:
				'This n8n gives nodes no execution custom data, where the wait is remembered. Set Wait Mode to "Poll", or update n8n.',
		});
	}
	const { jobs, invalidItems } = await planJobsFromItems(this);
	if (invalidItems.length)
		return nodeOutputs(outputSettings.failedRows, notStartedItems(this, invalidItems), []);
	if (!jobs.length) return nodeOutputs(outputSettings.failedRows, [], []);
	if (jobs.some(({ query }) => query.notify)) {
		throw new NodeOperationError(
			this.getNode(),
			"Resume on Notification and Delivery → Notify When Done both want Bright Data's notification",
			{
				description:
					'Bright Data notifies one URL per job, and Resume on Notification needs it to resume this execution. Remove Notify When Done from Delivery, or set Wait Mode to "Poll" to keep your own notification.',
			},
		);
	}
	if (jobs.length > 1) {
		const inputs = jobs.reduce((count, job) => count + job.inputs.length, 0);
		throw new NodeOperationError(
			this.getNode(),
			`Resume on Notification waits for one job; this run needs ${jobs.length}`,
			{
				itemIndex: jobs[1].inputs[0].itemIndex,
				description: `The wait is remembered in one execution custom data value of ${MAX_VALUE_LENGTH} characters, which holds one snapshot ID of up to ${MAX_SNAPSHOT_ID_LENGTH} characters. Set Inputs per Job to ${inputs} or more for these ${inputs} inputs (items whose collector or options differ start jobs of their own), split the items into several executions, or use Wait Mode "Poll".`,
			},
		);
	}
	const endpoint = new URL(String(this.evaluateExpression('{{ $execution.resumeUrl }}', 0)));
	endpoint.pathname = `${endpoint.pathname.replace(/\/$/, '')}/${encodeURIComponent(this.getNode().id)}`;
	const nonce = randomBytes(16).toString('hex');
	endpoint.searchParams.set('brightdata', nonce);
	const notify = JSON.stringify({ type: 'webhook', endpoint: endpoint.toString() });
	// Bright Data ends the job by the deadline, so a notification comes even for a job that would run too long.
	const deadline = `${Math.ceil(wait.timeoutSeconds)}s`;
	// The wait cannot carry error items to the resume, so a job that cannot start fails the node.
	const job = await triggerJob(this, { ...jobs[0], query: { deadline, ...jobs[0].query, notify } });

	// n8n refuses a notification that comes before the execution is saved as waiting
	// ("running already"), so a job that is already done is collected now instead.
	const reader = readerFor(this, outputSettings, [job.snapshotId]);
	const dataset = await checkSnapshot(this, job.snapshotId, reader).catch((error: unknown) => {
		throw errorAfterTrigger(this, error, [job.snapshotId]);
	});
	if (dataset.kind === 'ready')
		return (await readyJobOutputs(this, [{ job, dataset }], outputSettings)).outputs;

	const state: WaitState = { nonceHash: secretHash(nonce), snapshotId: job.snapshotId };
	this.customData.set(STATE_KEY, serializeState(state));
	const until = new Date(now() + secondsToMs(wait.timeoutSeconds + GRACE_SECONDS));
	await this.putExecutionToWait(until);
	logEvent(
		this,
		`waiting for Bright Data's notification for snapshot ${job.snapshotId} until ${until.toISOString()}, the execution parked`,
		{ snapshotIds: [job.snapshotId], until: until.toISOString() },
	);
	leaveTimedOutItem(this, job);
	// Only shown while it waits; n8n's own waiting nodes return their input.
	return [this.getInputData()];
}
