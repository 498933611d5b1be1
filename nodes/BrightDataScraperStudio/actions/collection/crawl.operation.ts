import { updateDisplayOptions, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';

import { now, secondsToMs } from '../../../shared/timing';
import { collectorLocator } from '../../descriptions/collector';
import { inputFields } from '../../descriptions/inputs';
import { optionsCollection } from '../../descriptions/options';
import { crawlOptions } from '../../descriptions/realtime';
import { runPerInput } from '../../jobs/perInput';
import { crawl, waitForRealtimeResult } from '../../jobs/realtime';
import { errorItems } from '../../output/items';
import { readRealtimeOptions, type RealtimeOptions } from '../../parameters/options';

const properties: INodeProperties[] = [
	collectorLocator,
	...inputFields,
	optionsCollection(crawlOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['collection'], operation: ['crawl'] } }, properties);

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
