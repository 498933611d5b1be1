import type { Resource } from '../types';
import * as crawl from './crawl.operation';
import * as getDataset from './getDataset.operation';
import * as runRealtime from './runRealtime.operation';
import * as trigger from './trigger.operation';
import * as triggerAndWait from './triggerAndWait.operation';

export const collection: Resource = {
	option: {
		name: 'Collection',
		value: 'collection',
		description: 'Run a collector and get its rows',
	},
	operations: [crawl, getDataset, runRealtime, trigger, triggerAndWait],
	defaultOperation: 'triggerAndWait',
	// An agent's tool answers within its call, so it opens on the real-time run.
	toolDefaultOperation: 'runRealtime',
};
