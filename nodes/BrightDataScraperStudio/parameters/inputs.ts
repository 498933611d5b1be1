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

/** The collector ID of item `itemIndex` (in parameter `name`), validated before any request. */
export function readCollector(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'collector',
	read: ReadParameter = nodeParameter(ctx),
): string {
	const raw = read(name, itemIndex, '', { extractValue: true });
	const collector = typeof raw === 'string' ? raw.trim() : '';
	const example = 'for example c_m9im5n7v82p2y35la.';
	if (!collector)
		throw invalid(
			ctx,
			itemIndex,
			'No collector ID given',
			`Pick a collector from the list or enter its ID, ${example}`,
		);
	if (!COLLECTOR_ID.test(collector))
		throw invalid(
			ctx,
			itemIndex,
			`"${shorten(collector)}" is not a collector ID`,
			`Collector IDs start with "c_" followed by letters and digits, ${example}`,
		);
	return collector;
}

function parseJsonInputs(ctx: IExecuteFunctions, itemIndex: number, read: ReadParameter): unknown {
	const raw = read('inputs', itemIndex, undefined);
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch {
		throw invalid(
			ctx,
			itemIndex,
			`The 'Inputs' parameter is not valid JSON [item ${itemIndex}]`,
			`Check the 'Inputs' parameter (as evaluated for item ${itemIndex}): it must be a JSON array of input objects, for example [${EXAMPLE_INPUT}]. Field names need double quotes.`,
		);
	}
}

function pickFields(
	ctx: IExecuteFunctions,
	itemIndex: number,
	json: IDataObject,
	read: ReadParameter,
): IDataObject {
	const names = String(read('inputFields', itemIndex, ''))
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (!names.length)
		throw invalid(
			ctx,
			itemIndex,
			'No input fields selected',
			"List the fields of the collector's input schema, separated by commas, for example: url, keyword",
		);
	// Own fields only: "toString" or "constructor" must not be read from Object.prototype. fromEntries
	// defines each field, so "__proto__" stays a field (an assignment would set the prototype instead).
	const picked: IDataObject = Object.fromEntries(
		names
			.filter((name) => Object.hasOwn(json, name) && json[name] !== undefined)
			.map((name) => [name, json[name]]),
	);
	if (!Object.keys(picked).length)
		throw invalid(
			ctx,
			itemIndex,
			`Item ${itemIndex} has none of the fields ${names.join(', ')}`,
			'Check the field names in "Input Fields" against the incoming item.',
		);
	return picked;
}

/** The input objects item `itemIndex` contributes: its own JSON, chosen fields of it, or a JSON array. */
export function readInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
): IDataObject[] {
	if (read('inputSource', itemIndex, 'items') === 'items') {
		const { json } = ctx.getInputData()[itemIndex];
		const selected = read('fieldsToSend', itemIndex, 'all') === 'selected';
		const input = selected ? pickFields(ctx, itemIndex, json, read) : json;
		if (!Object.keys(input).length)
			throw invalid(
				ctx,
				itemIndex,
				`Item ${itemIndex} is empty, so it gives no input`,
				`With Input Source "Incoming Items", each incoming item is one input for the collector, e.g. ${EXAMPLE_INPUT}. Switch Input Source to JSON and enter the inputs there, or add a "url" field with a Set (Edit Fields) node before this node.`,
			);
		return [input];
	}

	const inputs = parseJsonInputs(ctx, itemIndex, read);
	if (!Array.isArray(inputs))
		throw invalid(
			ctx,
			itemIndex,
			'Inputs must be a JSON array of objects',
			`Wrap a single input in brackets: [${EXAMPLE_INPUT}].`,
		);
	if (!inputs.length)
		throw invalid(
			ctx,
			itemIndex,
			'Inputs is an empty array',
			`Give at least one input object, for example [${EXAMPLE_INPUT}].`,
		);
	const position = inputs.findIndex((input) => !isObject(input));
	if (position !== -1)
		throw invalid(
			ctx,
			itemIndex,
			`Input ${position} is not an object`,
			`Every element of Inputs must be an object such as ${EXAMPLE_INPUT}.`,
		);
	return inputs as IDataObject[];
}

const SNAPSHOT_ID_FIX =
	'Use the snapshot_id that the Trigger operation output, e.g. {{ $json.snapshot_id }}';

/** The Snapshot ID parameter, trimmed, required and checked by the one rule (isSnapshotId); of a Job operation: the job's ID. */
export function readSnapshotId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	{ job = false, read = nodeParameter(ctx) }: { job?: boolean; read?: ReadParameter } = {},
): string {
	const raw = read('snapshotId', itemIndex, '');
	const id = typeof raw === 'string' ? raw.trim() : '';
	const fix = job
		? `${SNAPSHOT_ID_FIX}, or the id of a job from Get Many Jobs.`
		: `${SNAPSHOT_ID_FIX}.`;
	if (!id) throw invalid(ctx, itemIndex, 'No snapshot ID given', fix);
	if (COLLECTOR_ID.test(id))
		throw invalid(ctx, itemIndex, `"${shorten(id)}" is a collector ID, not a snapshot ID`, fix);
	if (!isSnapshotId(id))
		throw invalid(ctx, itemIndex, `"${shorten(id)}" is not a snapshot ID`, fix);
	return id;
}
