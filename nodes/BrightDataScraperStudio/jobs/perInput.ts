import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { append } from '../../shared/append';
import type { Row } from '../../shared/rows';
import { errorItems } from '../output/items';
import { constantParameterReader } from '../parameters/constant';
import { readCollector, readInputs } from '../parameters/inputs';
import { readRealtimeOptions, type RealtimeOptions } from '../options/realtime';
import { mapWithConcurrency } from './pool';

export interface InputRequest {
	itemIndex: number;
	collector: string;
	input: IDataObject;
	options: RealtimeOptions;
}

// One job per input (real-time, crawl), all items read first, in one pool of the first item's Concurrency. Failures
// are thrown only once all running inputs have finished, so no paid result is dropped mid-flight.
export async function runPerInput(
	ctx: IExecuteFunctions,
	run: (request: InputRequest) => Promise<Row[]>,
): Promise<INodeExecutionData[]> {
	const requests: InputRequest[] = [];
	const output: INodeExecutionData[] = [];
	const read = constantParameterReader(ctx);
	ctx.getInputData().forEach((_, itemIndex) => {
		try {
			const collector = readCollector(ctx, itemIndex, 'collector', read);
			const options = readRealtimeOptions(ctx, itemIndex, read);
			for (const input of readInputs(ctx, itemIndex, read))
				requests.push({ itemIndex, collector, input, options });
		} catch (error) {
			append(output, errorItems(ctx, error as Error, [itemIndex]));
		}
	});

	const concurrency = requests[0]?.options.concurrency ?? 1;
	type Outcome = { rows: Row[]; error?: undefined } | { rows?: undefined; error: Error };
	const outcomes = await mapWithConcurrency(
		requests.length,
		concurrency,
		async (index): Promise<Outcome> => {
			try {
				return { rows: await run(requests[index]) };
			} catch (error) {
				return { error: error as Error };
			}
		},
	);
	outcomes.forEach((outcome, index) => {
		const item = requests[index].itemIndex;
		if (outcome.error) append(output, errorItems(ctx, outcome.error, [item]));
		else
			append(
				output,
				outcome.rows.map((row) => ({ json: row, pairedItem: { item } })),
			);
	});
	return output;
}
