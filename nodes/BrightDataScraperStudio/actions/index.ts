import { collection } from './collection';
import { collector } from './collector';
import { job } from './job';
import type { Resource } from './types';

/** The node's resources, in the order the Resource list shows them. */
export const resources: Resource[] = [collection, collector, job];
