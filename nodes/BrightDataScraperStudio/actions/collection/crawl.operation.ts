import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { plural } from '../../../shared/plural';
import { now, secondsToMs } from '../../../shared/timing';
import { collectorLocator } from '../../descriptions/collector';
import { inputFields } from '../../descriptions/inputs';
import { runPerInput } from '../../jobs/perInput';
import { realtimeRows } from '../../jobs/realtime';
import { optionsCollection } from '../../options/option';
import { crawlOptions } from '../../options/realtime';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Crawl',
	value: 'crawl',
	description: 'Crawl each input at once (synchronously) and output the scraped rows',
	action: 'Crawl inputs and get rows',
};

export const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	optionsCollection(crawlOptions),
];

/** A synchronous crawl per input; one that outlasts its timeout is followed through get_result. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	let empty = 0;
	const output = await runPerInput(this, async (request) => {
		const deadline = now() + secondsToMs(request.options.timeoutSeconds);
		const rows = await realtimeRows(this, request, 'crawl', deadline);
		if (!rows.length) empty++;
		return rows;
	});
	if (empty) {
		this.addExecutionHints({
			message: `The crawl of ${plural(empty, 'input')} finished without rows: Bright Data answered an empty list (the collector found nothing).`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return [output];
}
