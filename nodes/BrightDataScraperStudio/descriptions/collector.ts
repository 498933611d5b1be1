import type { INodeProperties } from 'n8n-workflow';

/** The collector to run: picked from the account's list, or typed as an ID. */
export const collectorLocator: INodeProperties = {
	displayName: 'Collector',
	name: 'collector',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The published Scraper Studio collector (scraper) to run',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a collector...',
			typeOptions: { searchListMethod: 'searchCollectors', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. c_m9im5n7v82p2y35la',
			// Checked at run time (readCollector), not by a validation regex: n8n runs those in a sandbox
			// whose 250 ms watchdog can refuse the execution on a busy host.
		},
	],
};

/** The collector of every Collector operation: one an earlier step made or picked. */
export const aiCollectorLocator: INodeProperties = {
	...collectorLocator,
	description:
		'The collector whose AI job to start, read, answer or stop: one picked from the list, or one Create with AI made',
	hint: 'For the collector of an earlier Create with AI or Self-Heal step, use the expression {{ $json.collector_id }}',
};
