import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { append } from '../../../shared/append';
import type { Row } from '../../../shared/rows';
import { checkSnapshot } from '../../../shared/snapshot/polling';
import { elapsedSeconds, now } from '../../../shared/timing';
import { snapshotIdField } from '../../descriptions/snapshot';
import { timedOutItem, waitForSnapshot } from '../../jobs/waiting';
import { countsOf, readerFor, type FileOrRows } from '../../output/datasetFile';
import { errorItems, forEachItem } from '../../output/items';
import { nodeOutputs, shapeOutput, shapeStreamedFile } from '../../output/shape';
import { constantParameterReader } from '../../parameters/constant';
import { readSnapshotId } from '../../parameters/inputs';
import { optionsCollection } from '../../options/option';
import {
	outputFields,
	readOutputSettings,
	rowOptions,
	type FailedRowsPolicy,
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

/** What one item asks for, read and checked before any request. */
type ItemRequest = { snapshotId: string; settings: OutputSettings } | { error: Error };

function readRequests(ctx: IExecuteFunctions): ItemRequest[] {
	const read = constantParameterReader(ctx);
	return ctx.getInputData().map((_, itemIndex) => {
		try {
			return {
				snapshotId: readSnapshotId(ctx, itemIndex, { read }),
				settings: readOutputSettings(ctx, itemIndex, 'main', read),
			};
		} catch (error) {
			return { error: error as Error };
		}
	});
}

/** The snapshot's rows (or its file), or the one item that stands for it when they are not ready. */
async function datasetOrStatus(
	ctx: IExecuteFunctions,
	{ snapshotId, settings }: { snapshotId: string; settings: OutputSettings },
	itemIndex: number,
	wait: WaitOptions | undefined,
	startedAt: number,
): Promise<FileOrRows | INodeExecutionData> {
	const reader = readerFor(ctx, settings, snapshotId);
	if (wait) {
		const result = await waitForSnapshot(ctx, snapshotId, reader, itemIndex, wait, startedAt);
		return result.kind === 'ready'
			? result
			: timedOutItem(snapshotId, [itemIndex], result.status, elapsedSeconds(startedAt));
	}
	const state = await checkSnapshot(ctx, snapshotId, reader, itemIndex);
	if (state.kind === 'ready') return state;
	return {
		json: {
			snapshot_id: snapshotId,
			ready: false,
			status: state.status,
			message: state.message ?? null,
		},
		pairedItem: { item: itemIndex },
	};
}

/** The rows of each item's snapshot; one not ready gives a status item, or is waited for (one timeout for the node). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const waitUntilReady = this.getNodeParameter('waitUntilReady', 0, false) === true;
	let wait: WaitOptions | undefined;
	try {
		// One wait covers all items, so its options are read once, before any request.
		wait = waitUntilReady ? readWaitOptions(this, 0) : undefined;
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
	const requests = readRequests(this);
	// An item with bad parameters fails now (or becomes error items with Continue On Fail), before any request.
	const invalid = requests.map((request, itemIndex) =>
		'error' in request ? errorItems(this, request.error, [itemIndex]) : [],
	);

	// The outputs follow item 0's Failed Inputs, as the editor shows them.
	const first = requests[0];
	const failedRows: FailedRowsPolicy =
		first && 'settings' in first ? first.settings.failedRows : 'main';
	const startedAt = now();
	const failed: INodeExecutionData[] = [];
	const emptySnapshots: string[] = [];
	const keptInMain: number[] = [];
	const main = await forEachItem(this, async (itemIndex) => {
		const request = requests[itemIndex];
		if ('error' in request) return invalid[itemIndex];
		const { snapshotId } = request;
		// No Failed output for this item's failed rows: they stay in the main output rather than vanish.
		const noFailedOutput = request.settings.failedRows === 'separate' && failedRows !== 'separate';
		if (noFailedOutput) keptInMain.push(itemIndex);
		const settings: OutputSettings = noFailedOutput
			? { ...request.settings, failedRows: 'main' }
			: request.settings;
		const dataset = await datasetOrStatus(
			this,
			{ snapshotId, settings },
			itemIndex,
			wait,
			startedAt,
		);
		if ('json' in dataset) return [dataset];
		if (!countsOf(dataset).rows) emptySnapshots.push(snapshotId);
		const pairedItem = { item: itemIndex };
		const pair = (rows: Row[]) => rows.map((row) => ({ row, pairedItem, order: itemIndex }));
		const about = { snapshotIds: [snapshotId], pairedItem: [pairedItem] };
		const shaped =
			'file' in dataset
				? shapeStreamedFile(dataset.file, pair(dataset.file.failed), settings, about)
				: await shapeOutput(this, pair(dataset.rows), settings, about);
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
