import { type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { now, secondsToMs } from '../../../shared/timing';
import { collectorLocator } from '../../descriptions/collector';
import { inputFields } from '../../descriptions/inputs';
import { optionsCollection } from '../../descriptions/options';
import { crawlOptions } from '../../descriptions/realtime';
import { runPerInput } from '../../jobs/perInput';
import { crawl, waitForRealtimeResult } from '../../jobs/realtime';
import { errorItems } from '../../output/items';
import { readRealtimeOptions, type RealtimeOptions } from '../../parameters/options';
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
	let options: RealtimeOptions;
	try {
		options = readRealtimeOptions(this);
	} catch (error) {
		return [errorItems(this, error as Error, this.getInputData().map((_, item) => item))];
	}
	const output = await runPerInput(this, options.concurrency, async ({ collector, input, itemIndex }) => {
		const deadline = now() + secondsToMs(options.timeoutSeconds);
		const answer = await crawl(this, collector, input, { timeoutSeconds: options.crawlTimeoutSeconds, query: options.query }, itemIndex);
		if (answer.kind === 'rows') return answer.rows;
		return await waitForRealtimeResult(this, answer.responseId, { deadline, timeoutSeconds: options.timeoutSeconds, itemIndex });
	});
	return [output];
}
