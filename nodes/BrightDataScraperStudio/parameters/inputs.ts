import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isObject } from '../../shared/rows';
import { isSnapshotId } from '../../shared/snapshot/id';
import { shorten } from '../../shared/transport/errors';
import { nodeParameter, type ReadParameter } from './constant';

const COLLECTOR_ID = /^c_[A-Za-z0-9]+$/;

/** The collector ID of item `itemIndex` (in parameter `name`), validated before any request. */
export function readCollector(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'collector',
	read: ReadParameter = nodeParameter(ctx),
): string {
	const raw = read(name, itemIndex, '', { extractValue: true });
	const collector = typeof raw === 'string' ? raw.trim() : '';
	if (!collector) {
		throw new NodeOperationError(ctx.getNode(), 'No collector ID given', {
			itemIndex,
			description:
				'Pick a collector from the list or enter its ID, for example c_m9im5n7v82p2y35la.',
		});
	}
	if (!COLLECTOR_ID.test(collector)) {
		throw new NodeOperationError(ctx.getNode(), `"${shorten(collector)}" is not a collector ID`, {
			itemIndex,
			description:
				'Collector IDs start with "c_" followed by letters and digits, for example c_m9im5n7v82p2y35la.',
		});
	}
	return collector;
}

function parseJsonInputs(ctx: IExecuteFunctions, itemIndex: number, read: ReadParameter): unknown {
	const raw = read('inputs', itemIndex, undefined);
	if (typeof raw !== 'string') return raw;
	try {
		return JSON.parse(raw);
	} catch {
		throw new NodeOperationError(
			ctx.getNode(),
			`The 'Inputs' parameter is not valid JSON [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Check the 'Inputs' parameter (as evaluated for item ${itemIndex}): it must be a JSON array of input objects, for example [{"url": "https://example.com/product/1"}]. Field names need double quotes.`,
			},
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
	if (!names.length) {
		throw new NodeOperationError(ctx.getNode(), 'No input fields selected', {
			itemIndex,
			description:
				"List the fields of the collector's input schema, separated by commas, for example: url, keyword",
		});
	}
	// Own fields only: "toString" or "constructor" must not be read from Object.prototype. fromEntries
	// defines each field, so "__proto__" stays a field (an assignment would set the prototype instead).
	const picked: IDataObject = Object.fromEntries(
		names
			.filter((name) => Object.hasOwn(json, name) && json[name] !== undefined)
			.map((name) => [name, json[name]]),
	);
	if (!Object.keys(picked).length) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex} has none of the fields ${names.join(', ')}`,
			{
				itemIndex,
				description: 'Check the field names in "Input Fields" against the incoming item.',
			},
		);
	}
	return picked;
}

/** The input objects item `itemIndex` contributes: its own JSON, chosen fields of it, or a JSON array. */
export function readInputs(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: ReadParameter = nodeParameter(ctx),
): IDataObject[] {
	const source = read('inputSource', itemIndex, 'items') as 'items' | 'json';
	if (source === 'items') {
		const { json } = ctx.getInputData()[itemIndex];
		const fieldsToSend = read('fieldsToSend', itemIndex, 'all') as 'all' | 'selected';
		const input = fieldsToSend === 'selected' ? pickFields(ctx, itemIndex, json, read) : json;
		if (!Object.keys(input).length) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex} is empty, so it gives no input`,
				{
					itemIndex,
					description:
						'With Input Source "Incoming Items", each incoming item is one input for the collector, e.g. {"url": "https://example.com/product/1"}. Switch Input Source to JSON and enter the inputs there, or add a "url" field with a Set (Edit Fields) node before this node.',
				},
			);
		}
		return [input];
	}

	const inputs = parseJsonInputs(ctx, itemIndex, read);
	if (!Array.isArray(inputs)) {
		throw new NodeOperationError(ctx.getNode(), 'Inputs must be a JSON array of objects', {
			itemIndex,
			description: 'Wrap a single input in brackets: [{"url": "https://example.com/product/1"}].',
		});
	}
	if (!inputs.length) {
		throw new NodeOperationError(ctx.getNode(), 'Inputs is an empty array', {
			itemIndex,
			description:
				'Give at least one input object, for example [{"url": "https://example.com/product/1"}].',
		});
	}
	const position = inputs.findIndex((input) => !isObject(input));
	if (position !== -1) {
		throw new NodeOperationError(ctx.getNode(), `Input ${position} is not an object`, {
			itemIndex,
			description:
				'Every element of Inputs must be an object such as {"url": "https://example.com/product/1"}.',
		});
	}
	return inputs as IDataObject[];
}

/** A snapshot ID parameter, trimmed, required and checked by the one rule (isSnapshotId). */
function readId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name: string,
	fix: string,
	read: ReadParameter = nodeParameter(ctx),
): string {
	const label = 'snapshot ID';
	const raw = read(name, itemIndex, '');
	const id = typeof raw === 'string' ? raw.trim() : '';
	const fail = (message: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex, description: fix });
	if (!id) throw fail(`No ${label} given`);
	if (COLLECTOR_ID.test(id)) throw fail(`"${shorten(id)}" is a collector ID, not a ${label}`);
	if (!isSnapshotId(id)) throw fail(`"${shorten(id)}" is not a ${label}`);
	return id;
}

/** The Snapshot ID parameter of Get Dataset. */
export function readSnapshotId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'snapshotId',
	read: ReadParameter = nodeParameter(ctx),
): string {
	return readId(
		ctx,
		itemIndex,
		name,
		'Use the snapshot_id that the Trigger operation output, e.g. {{ $json.snapshot_id }}.',
		read,
	);
}

/** The Snapshot ID of the Job operations: the job's ID. */
export function readJobId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readId(
		ctx,
		itemIndex,
		'snapshotId',
		'Use the snapshot_id that the Trigger operation output, e.g. {{ $json.snapshot_id }}, or the id of a job from Get Many Jobs.',
	);
}
