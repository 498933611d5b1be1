import type { INodeParameters } from 'n8n-workflow';

/** The collector resource locator as the editor saves it. */
export const collectorId = (value: string) => ({ __rl: true, mode: 'id', value });

/**
 * Trigger and Wait with the given parameters. Tests scale time (1 s can be 1 ms), so unless a
 * test sets its own, the timeout is the largest allowed: a busy machine must not time out a test.
 */
export const triggerAndWait = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'triggerAndWait',
	collector: collectorId(collector),
	...extra,
	options: { timeout: 86400, ...(extra.options as INodeParameters | undefined) },
});

export const trigger = (collector: string, extra: INodeParameters = {}): INodeParameters => ({
	operation: 'trigger',
	collector: collectorId(collector),
	...extra,
});

export const getDataset = (snapshotId: string): INodeParameters => ({ operation: 'getDataset', snapshotId });
