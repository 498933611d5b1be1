import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { append } from '../../shared/append';
import type { Row } from '../../shared/rows';
import { errorItems } from '../output/items';
import { constantParameterReader } from '../parameters/constant';
import { readCollector, readInputs } from '../parameters/inputs';
import { readRealtimeOptions, type RealtimeOptions } from '../options/realtime';

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

	const outcomes = new Array<Row[] | Error>(requests.length);
	let next = 0;
	const worker = async () => {
		while (next < requests.length) {
			const index = next++;
			outcomes[index] = await run(requests[index]).catch((error: unknown) =>
				error instanceof Error ? error : new Error(String(error)),
			);
		}
	};
	const concurrency = Math.max(1, requests[0]?.options.concurrency ?? 1);
	await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
	outcomes.forEach((outcome, index) => {
		const item = requests[index].itemIndex;
		append(
			output,
			outcome instanceof Error
				? errorItems(ctx, outcome, [item])
				: outcome.map((row) => ({ json: row, pairedItem: { item } })),
		);
	});
	return output;
}
