import type { INodeProperties } from 'n8n-workflow';

import { nodeParameter, type ReadParameter } from '../parameters/constant';
import { isTool, numberOption, readOptions, type ParameterContext } from './option';

/** How rows leave the node: the top-level choice and its file settings. An agent's tool gets items. */
export const outputFields: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		default: 'rows',
		hint: 'Pick File for datasets of many thousands of rows: items that large slow the workflow down',
		displayOptions: { hide: { '@tool': [true] } },
		options: [
			{
				name: 'One Item per Row',
				value: 'rows',
				description:
					'Each scraped row is an item, linked to the incoming item that supplied its input',
			},
			{
				name: 'One Item With All Rows',
				value: 'allRows',
				description: 'A single item with the rows in a "rows" array, plus snapshot_id and count',
			},
			{
				name: 'File',
				value: 'file',
				description:
					'A single item with the rows as a JSON, NDJSON or CSV file, for datasets too large to handle as items',
			},
		],
	},
	{
		displayName: 'File Format',
		name: 'fileFormat',
		type: 'options',
		default: 'json',
		displayOptions: { show: { outputMode: ['file'] }, hide: { '@tool': [true] } },
		options: [
			{ name: 'CSV', value: 'csv', description: 'One line per row; nested values as JSON text' },
			{ name: 'JSON', value: 'json', description: 'A JSON array of rows' },
			{ name: 'NDJSON', value: 'ndjson', description: 'One JSON object per line' },
		],
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show: { outputMode: ['file'] }, hide: { '@tool': [true] } },
		description: 'The binary field of the output item that holds the file',
	},
];

const rowLimit = numberOption({
	displayName: 'Row Limit',
	name: 'rowLimit',
	type: 'number',
	default: 0,
	min: 0,
	integer: true,
	description: 'The most rows to output, in input order; 0 outputs all of them',
});

export type FailedRowsPolicy = 'separate' | 'main' | 'drop';

/** Options about which rows are output. */
export const rowOptions = (failedRowsDefault: 'separate' | 'main'): INodeProperties[] => [
	{
		displayName: 'Failed Inputs',
		name: 'failedRows',
		type: 'options',
		default: failedRowsDefault,
		options: [
			{ name: 'Drop Them', value: 'drop', description: 'Leave rows with an error out' },
			{
				name: 'Keep in Main Output',
				value: 'main',
				description: 'Output them with the other rows',
			},
			{
				name: 'Send to "Failed" Output',
				value: 'separate',
				description:
					'A second output, "Failed", gets each failed input with its error and error_code',
			},
		],
		description:
			'Where rows for inputs Bright Data could not scrape go: rows that carry error or error_code (e.g. dead_page, blocked)',
	},
	rowLimit.property,
];

export type OutputSettings = ReturnType<typeof readOutputSettings>;

export function readOutputSettings(
	ctx: ParameterContext,
	itemIndex: number,
	failedRowsDefault: FailedRowsPolicy,
	read: ReadParameter = nodeParameter(ctx),
) {
	const options = readOptions(ctx, itemIndex, read);
	// An agent reads only a tool's first output, as items.
	const tool = isTool(ctx);
	const mode = tool
		? 'rows'
		: (read('outputMode', itemIndex, 'rows') as 'rows' | 'allRows' | 'file');
	const file = mode === 'file';
	const failedRows = (options.failedRows as FailedRowsPolicy | undefined) ?? failedRowsDefault;
	return {
		mode,
		fileFormat: file
			? (read('fileFormat', itemIndex, 'json') as 'json' | 'ndjson' | 'csv')
			: 'json',
		binaryPropertyName:
			(file && String(read('binaryPropertyName', itemIndex, 'data')).trim()) || 'data',
		failedRows: tool && failedRows === 'separate' ? 'main' : failedRows,
		rowLimit: rowLimit.read(ctx, itemIndex, options),
	};
}
