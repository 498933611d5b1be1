import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { append } from '../../../shared/append';
import { checkSnapshot } from '../../../shared/snapshot/polling';
import { now } from '../../../shared/timing';
import { snapshotIdField } from '../../descriptions/snapshot';
import { waitForSnapshot } from '../../jobs/waiting';
import { readerFor } from '../../output/datasetFile';
import { errorItems, forEachItem } from '../../output/items';
import { nodeOutputs, shapeReadyJobs } from '../../output/shape';
import { constantParameterReader } from '../../parameters/constant';
import { readSnapshotId } from '../../parameters/inputs';
import { optionsCollection } from '../../options/option';
import {
	outputFields,
	readOutputSettings,
	rowOptions,
	type OutputSettings,
} from '../../options/output';
import { readWaitOptions, waitOptions, type WaitOptions } from '../../options/wait';
import type { OperationOption } from '../types';

const waitUntilReadyField: INodeProperties = {
	displayName: 'Wait Until Ready',
	name: 'waitUntilReady',
	type: 'boolean',
	default: false,
	description:
		"Whether to keep checking until the snapshot's rows are ready, as Trigger and Wait does. Off: a snapshot that is still being built gives one item with its status.",
};

/** Trigger and Wait's wait options, minus cancelling: this node started no job (it may be another workflow's). */
const untilReadyOptions: INodeProperties[] = waitOptions
	.filter(({ name }) => name !== 'cancelOnStop')
	.map((option) => ({
		...option,
		...(option.name === 'onTimeout'
			? {
					options: option.options?.filter(
						(choice) => 'value' in choice && choice.value !== 'cancel',
					),
				}
			: {}),
		displayOptions: { show: { '/waitUntilReady': [true] } },
	}));

export const option: OperationOption = {
	name: 'Get Dataset',
	value: 'getDataset',
	description:
		'Get the scraped rows of a snapshot, or its status while it is still being collected',
	action: 'Get dataset of snapshot',
};

export const properties: INodeProperties[] = [
	snapshotIdField,
	waitUntilReadyField,
	...outputFields,
	optionsCollection([...rowOptions('main'), ...untilReadyOptions]),
];

/** The rows of each item's snapshot; one not ready gives a status item, or is waited for (one timeout for the node). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let wait: WaitOptions | undefined;
	try {
		// One wait covers all items, so its options are read once, before any request.
		if (this.getNodeParameter('waitUntilReady', 0, false) === true) wait = readWaitOptions(this, 0);
		if (wait?.onTimeout === 'cancel') {
			throw new NodeOperationError(
				this.getNode(),
				'On Timeout "Cancel the Job and Fail" is not available in Get Dataset',
				{
					itemIndex: 0,
					description:
						'Get Dataset did not start the job, which may belong to another workflow, so it never cancels it. Pick "Fail" or "Output the Snapshot ID".',
				},
			);
		}
	} catch (error) {
		return [errorItems(this, error as Error)];
	}
	const read = constantParameterReader(this);
	// An item with bad parameters fails now (or becomes error items with Continue On Fail), before any request.
	const requests = this.getInputData().map((_, itemIndex) => {
		try {
			const snapshotId = readSnapshotId(this, itemIndex, { read });
			return { snapshotId, settings: readOutputSettings(this, itemIndex, 'main', read) };
		} catch (error) {
			return errorItems(this, error as Error, [itemIndex]);
		}
	});

	// The outputs follow item 0's Failed Inputs, as the editor shows them.
	const first = requests[0];
	const failedRows = first && !Array.isArray(first) ? first.settings.failedRows : 'main';
	const startedAt = now();
	const failed: INodeExecutionData[] = [];
	const emptySnapshots: string[] = [];
	const keptInMain: number[] = [];
	const main = await forEachItem(this, async (itemIndex) => {
		const request = requests[itemIndex];
		if (Array.isArray(request)) return request;
		const { snapshotId } = request;
		let settings: OutputSettings = request.settings;
		// No Failed output for this item's failed rows: they stay in the main output rather than vanish.
		if (settings.failedRows === 'separate' && failedRows !== 'separate') {
			keptInMain.push(itemIndex);
			settings = { ...settings, failedRows: 'main' };
		}
		const reader = readerFor(this, settings, [snapshotId]);
		const dataset = wait
			? await waitForSnapshot(this, snapshotId, reader, [itemIndex], wait, startedAt)
			: await checkSnapshot(this, snapshotId, reader, itemIndex);
		if (dataset.kind === 'timedOut') return [dataset.item];
		if (dataset.kind === 'pending') {
			const { status, message } = dataset;
			const json = { snapshot_id: snapshotId, ready: false, status, message: message ?? null };
			return [{ json, pairedItem: { item: itemIndex } }];
		}
		const job = { snapshotId, inputs: [{ itemIndex, input: {} }] };
		const shaped = await shapeReadyJobs(this, [{ job, dataset }], settings);
		if (!shaped.rowCount) emptySnapshots.push(snapshotId);
		append(failed, shaped.failed);
		return shaped.main;
	});
	if (emptySnapshots.length) {
		this.addExecutionHints({
			message: `Snapshot ${emptySnapshots.join(', ')} has no rows: the job finished without any (the collector found nothing, or its delivery settings leave rows out).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (keptInMain.length) {
		this.addExecutionHints({
			message: `Failed Inputs is "Send to Failed Output" for item ${keptInMain.join(', ')}, but the node's outputs follow the first item, which has no "Failed" output: those items' failed rows are in the main output.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return nodeOutputs(failedRows, main, failed);
}
