/**
 * The node itself, run through the real n8n engine in this process (test/harness/workflow.ts:
 * Items Source → Bright Data Scraper Studio, executed by n8n-core's WorkflowExecute).
 * Import bench/env.ts before this module.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { collectorId } from '../../test/harness/params';
import { runScraper, SCRAPER } from '../../test/harness/workflow';
import type { BenchEmulator, Stamp } from '../emulator';

export interface NodeRun {
	status: string;
	/** The main output's items. */
	items: number;
	error?: string;
	/** When the workflow finished, i.e. when the rows left the node. */
	emitted: Stamp;
}

/** Runs Items Source → the node against an API at `url`; returns the node's main output. */
export async function runNodeAt(
	{ url, token }: { url: string; token: string },
	parameters: INodeParameters,
	items: IDataObject[],
): Promise<{ status: string; output: INodeExecutionData[]; error?: string }> {
	const result = await runScraper(parameters, items, { baseUrl: url, token });
	return { status: result.status, output: result.outputOf(SCRAPER)[0] ?? [], error: result.error?.message };
}

export async function runNode(emulator: BenchEmulator, parameters: INodeParameters, items: IDataObject[]): Promise<NodeRun> {
	const result = await runNodeAt(emulator.api, parameters, items);
	const emitted = emulator.now();
	return { status: result.status, items: result.output.length, error: result.error, emitted };
}

export const triggerAndWaitParams = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'triggerAndWait',
	collector: collectorId(collector),
	...extra,
});

export const getDatasetParams = (snapshotId: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'getDataset',
	snapshotId,
	...extra,
});

export const runRealtimeParams = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'runRealtime',
	collector: collectorId(collector),
	...extra,
});
