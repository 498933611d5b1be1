// Wait Mode "Resume on Notification", second half: Bright Data's call, checked against the wait state, resumes with the rows.
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { isObject } from '../../../shared/rows';
import { matchesSecretHash, secretHash } from '../../../shared/secret';
import { findSnapshotId, isSnapshotId } from '../../../shared/snapshot/id';
import { NOTIFIED_WAIT_SECONDS, pollUntilReady } from '../../../shared/snapshot/polling';
import { now, secondsToMs } from '../../../shared/timing';
import { errorAfterTrigger } from '../../jobs/trigger';
import type { PlannedInput } from '../../jobs/types';
import { countsOf, readerFor } from '../../output/datasetFile';
import { readyJobOutputs } from '../../output/shape';
import { readOutputSettings } from '../../options/output';
import { plural } from '../../../shared/plural';
import { logEvent } from '../../records/log';

/** Where the wait is remembered: execution custom data survives the wait in n8n's database (255 characters a value). */
export const STATE_KEY = 'brightdata_wait';

export interface WaitState {
	/** The SHA-256 of the nonce the notify URL carries: custom data is shown with the execution. */
	nonceHash: string;
	/** One job's: two IDs of 128 characters would not fit. */
	snapshotId: string;
}

/** JSON, so a value cut short (n8n 2.41 keeps up to 512 characters, logging an error above 255) fails to parse. */
export const serializeState = ({ nonceHash, snapshotId }: WaitState): string =>
	JSON.stringify({ nonce_sha256: nonceHash, snapshot_id: snapshotId });

/** The wait state as serializeState wrote it; anything else (cut, edited, missing) is no state. */
function readState(ctx: IWebhookFunctions): WaitState | undefined {
	let state: unknown;
	try {
		state = JSON.parse(String(ctx.customData.get(STATE_KEY) ?? ''));
	} catch {
		return undefined;
	}
	if (!isObject(state)) return undefined;
	const { nonce_sha256: nonceHash, snapshot_id: snapshotId } = state;
	const valid =
		typeof nonceHash === 'string' &&
		nonceHash.length === secretHash('').length &&
		typeof snapshotId === 'string' &&
		isSnapshotId(snapshotId);
	return valid ? { nonceHash, snapshotId } : undefined;
}

function answerWithoutResuming(
	ctx: IWebhookFunctions,
	status: number,
	error: string,
): IWebhookResponseData {
	ctx.getResponseObject().status(status).json({ error });
	return { noWebhookResponse: true };
}

// The incoming items' inputs, to put rows in item order: webhook functions have no getInputData, so `$prevNode`.
// Empty for the JSON input source or on failure: the rows then keep Bright Data's order.
function plannedInputs(ctx: IWebhookFunctions): PlannedInput[] {
	if (ctx.getNodeParameter('inputSource', 'items') !== 'items') return [];
	let items: unknown;
	try {
		items = ctx.evaluateExpression(
			'{{ $($prevNode.name).all($prevNode.outputIndex, $prevNode.runIndex) }}',
			0,
		);
	} catch {
		return [];
	}
	if (!Array.isArray(items)) return [];
	const selected = ctx.getNodeParameter('fieldsToSend', 'all') === 'selected';
	const names = String(ctx.getNodeParameter('inputFields', ''))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	return (items as INodeExecutionData[]).map(({ json }, itemIndex) => ({
		itemIndex,
		input: selected
			? Object.fromEntries(
					names
						.filter((name) => Object.hasOwn(json, name) && json[name] !== undefined)
						.map((name) => [name, json[name]]),
				)
			: json,
	}));
}

// n8n renumbers a resumed node's item links by position (n8n-core WorkflowExecute addPairedItemLineage), so each row
// carries its `input` to match on (README, Waiting).
export async function webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = readState(this);
	// Any token (missing, repeated, non-ASCII, huge) is hashed and compared with the stored hash; 401 when wrong.
	const nonce = (this.getQueryData() as IDataObject).brightdata;
	if (!state || !matchesSecretHash(nonce, state.nonceHash))
		return answerWithoutResuming(this, 401, 'Invalid token');
	// The same rule and keys as the trigger node: ?snapshot_id=, then collection_id, snapshot_id, id, job_id.
	const named = findSnapshotId(this.getQueryData() as IDataObject, this.getBodyData())?.snapshotId;
	const { snapshotId } = state;
	if (named && named !== snapshotId)
		return answerWithoutResuming(this, 409, `Snapshot ${named} does not belong to this execution`);

	const settings = readOutputSettings(this, 0, 'separate');
	const reader = readerFor(this, settings, [snapshotId]);
	const dataset = await pollUntilReady(this, snapshotId, {
		reader,
		deadline: now() + secondsToMs(NOTIFIED_WAIT_SECONDS),
		checkAtOnce: true,
	}).catch((error: unknown) => {
		throw errorAfterTrigger(this, error, [snapshotId]);
	});
	if (dataset.kind === 'timedOut')
		return answerWithoutResuming(this, 202, `Waiting for snapshot ${snapshotId}`);
	const { rows, failed } = countsOf(dataset);
	logEvent(
		this,
		`snapshot ${snapshotId} ready: ${plural(rows, 'row')} (${plural(failed, 'failed input')}), resumed by Bright Data's notification`,
		{ snapshotIds: [snapshotId], rows, failed },
	);
	const job = { snapshotId, inputs: plannedInputs(this) };
	return { workflowData: (await readyJobOutputs(this, [{ job, dataset }], settings)).outputs };
}
