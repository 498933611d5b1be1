import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isObject } from '../../shared/rows';
import { isSnapshotId } from '../../shared/snapshot/id';
import { shorten } from '../../shared/transport/errors';
import { nodeParameter, type ReadParameter } from './constant';

const COLLECTOR_ID = /^c_[A-Za-z0-9]+$/;
const EXAMPLE_INPUT = '{"url": "https://example.com/product/1"}';

/** A parameter of item `itemIndex` that cannot be sent: the message and how to fix it. */
export const invalid = (
	ctx: IExecuteFunctions,
	itemIndex: number,
	message: string,
	description?: string,
) => new NodeOperationError(ctx.getNode(), message, { itemIndex, description });

/** The trimmed text of parameter `name`, or '' when it is not text. */
const readText = (read: ReadParameter, name: string, itemIndex: number, extractValue?: boolean) => {
	const raw = read(name, itemIndex, '', extractValue ? { extractValue } : undefined);
	return typeof raw === 'string' ? raw.trim() : '';
};

/** The collector ID of item `itemIndex` (in parameter `name`), validated before any request. */
export function readCollector(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'collector',
	read: ReadParameter = nodeParameter(ctx),
): string {
	const collector = readText(read, name, itemIndex, true);
	const fail = (message: string, fix: string) =>
		invalid(ctx, itemIndex, message, `${fix}, for example c_m9im5n7v82p2y35la.`);
	if (!collector)
		throw fail('No collector ID given', 'Pick a collector from the list or enter its ID');
	if (!COLLECTOR_ID.test(collector))
		throw fail(
			`"${shorten(collector)}" is not a collector ID`,
			'Collector IDs start with "c_" followed by letters and digits',
		);
	return collector;
}

/** The input objects item `itemIndex` contributes: its own JSON, chosen fields of it, or a JSON array. */
export function readInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
): IDataObject[] {
	const fail = (message: string, description: string) =>
		invalid(ctx, itemIndex, message, description);
	if (read('inputSource', itemIndex, 'items') === 'items') {
		const { json } = ctx.getInputData()[itemIndex];
		if (read('fieldsToSend', itemIndex, 'all') === 'selected') {
			const names = String(read('inputFields', itemIndex, ''))
				.split(',')
				.map((name) => name.trim())
				.filter(Boolean);
			if (!names.length)
				throw fail(
					'No input fields selected',
					"List the fields of the collector's input schema, separated by commas, for example: url, keyword",
				);
			// Own fields only ("toString" is not Object.prototype's); fromEntries keeps "__proto__" a field.
			const picked = Object.fromEntries(
				names
					.filter((name) => Object.hasOwn(json, name) && json[name] !== undefined)
					.map((name) => [name, json[name]]),
			);
			if (!Object.keys(picked).length)
				throw fail(
					`Item ${itemIndex} has none of the fields ${names.join(', ')}`,
					'Check the field names in "Input Fields" against the incoming item.',
				);
			return [picked];
		}
		if (!Object.keys(json).length)
			throw fail(
				`Item ${itemIndex} is empty, so it gives no input`,
				`With Input Source "Incoming Items", each incoming item is one input for the collector, e.g. ${EXAMPLE_INPUT}. Switch Input Source to JSON and enter the inputs there, or add a "url" field with a Set (Edit Fields) node before this node.`,
			);
		return [json];
	}

	let inputs = read('inputs', itemIndex, undefined);
	try {
		if (typeof inputs === 'string') inputs = JSON.parse(inputs);
	} catch {
		throw fail(
			`The 'Inputs' parameter is not valid JSON [item ${itemIndex}]`,
			`Check the 'Inputs' parameter (as evaluated for item ${itemIndex}): it must be a JSON array of input objects, for example [${EXAMPLE_INPUT}]. Field names need double quotes.`,
		);
	}
	if (!Array.isArray(inputs))
		throw fail(
			'Inputs must be a JSON array of objects',
			`Wrap a single input in brackets: [${EXAMPLE_INPUT}].`,
		);
	if (!inputs.length)
		throw fail(
			'Inputs is an empty array',
			`Give at least one input object, for example [${EXAMPLE_INPUT}].`,
		);
	const position = inputs.findIndex((input) => !isObject(input));
	if (position !== -1)
		throw fail(
			`Input ${position} is not an object`,
			`Every element of Inputs must be an object such as ${EXAMPLE_INPUT}.`,
		);
	return inputs as IDataObject[];
}

/** The Snapshot ID parameter, trimmed, required and checked by the one rule (isSnapshotId); of a Job operation: the job's ID. */
export function readSnapshotId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ job = false, read = nodeParameter(ctx) }: { job?: boolean; read?: ReadParameter } = {},
): string {
	const id = readText(read, 'snapshotId', itemIndex);
	const fail = (message: string) =>
		invalid(
			ctx,
			itemIndex,
			message,
			`Use the snapshot_id that the Trigger operation output, e.g. {{ $json.snapshot_id }}${job ? ', or the id of a job from Get Many Jobs' : ''}.`,
		);
	if (!id) throw fail('No snapshot ID given');
	if (COLLECTOR_ID.test(id)) throw fail(`"${shorten(id)}" is a collector ID, not a snapshot ID`);
	if (!isSnapshotId(id)) throw fail(`"${shorten(id)}" is not a snapshot ID`);
	return id;
}
