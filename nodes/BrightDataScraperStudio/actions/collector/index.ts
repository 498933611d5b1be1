import type { Resource } from '../types';
import * as cancelHeal from './cancelHeal.operation';
import * as createWithAi from './createWithAi.operation';
import * as getAiStatus from './getAiStatus.operation';
import * as heal from './heal.operation';
import * as resolveHeal from './resolveHeal.operation';

export const collector: Resource = {
	option: {
		name: 'Collector',
		value: 'collector',
		description: "Build and repair collectors with Bright Data's AI",
	},
	operations: [resolveHeal, cancelHeal, createWithAi, getAiStatus, heal],
	defaultOperation: 'createWithAi',
};
