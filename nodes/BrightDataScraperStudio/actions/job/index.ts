import type { Resource } from '../types';
import * as cancel from './cancel.operation';
import * as get from './get.operation';
import * as getErrors from './getErrors.operation';
import * as getMany from './getMany.operation';
import * as rerun from './rerun.operation';

export const job: Resource = {
	option: { name: 'Job', value: 'job', description: 'Look at and steer jobs that already run' },
	operations: [cancel, get, getErrors, getMany, rerun],
	defaultOperation: 'get',
};
