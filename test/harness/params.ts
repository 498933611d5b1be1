import type { INodeParameters } from 'n8n-workflow';

/** The collector resource locator as the editor saves it. */
export const collectorId = (value: string) => ({ __rl: true, mode: 'id', value });

export const triggerAndWait = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'triggerAndWait',
	collector: collectorId(collector),
	...extra,
});

export const trigger = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'trigger',
	collector: collectorId(collector),
	...extra,
});

export const getDataset = (snapshotId: string): INodeParameters => ({ operation: 'getDataset', snapshotId });
