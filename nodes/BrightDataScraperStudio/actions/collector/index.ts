import type { Resource } from '../types';
import * as createWithAi from './createWithAi.operation';
import * as getAiStatus from './getAiStatus.operation';

export const collector: Resource = {
	option: { name: 'Collector', value: 'collector', description: 'Build collectors with Bright Data\'s AI' },
	operations: [createWithAi, getAiStatus],
	defaultOperation: 'createWithAi',
};
