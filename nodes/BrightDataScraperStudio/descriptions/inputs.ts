import type { INodeProperties } from 'n8n-workflow';

/** Where the collector's input objects come from. */
export const inputFields: INodeProperties[] = [
	{
		displayName: 'Input Source',
		name: 'inputSource',
		type: 'options',
		noDataExpression: true,
		default: 'items',
		options: [
			{
				name: 'Incoming Items',
				value: 'items',
				description: 'Each incoming item is one input object, e.g. an item with a URL field',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'A JSON array of input objects, evaluated for each incoming item',
			},
		],
	},
	{
		displayName: 'Fields to Send',
		name: 'fieldsToSend',
		type: 'options',
		default: 'all',
		displayOptions: { show: { inputSource: ['items'] } },
		options: [
			{
				name: 'All Fields',
				value: 'all',
				description: 'Send each item\'s JSON as it is',
			},
			{
				name: 'Selected Fields',
				value: 'selected',
				description:
					'Send only the fields of the collector\'s input schema. Bright Data answers 422 to fields it does not know.',
			},
		],
	},
	{
		displayName: 'Input Fields',
		name: 'inputFields',
		type: 'string',
		default: 'url',
		required: true,
		placeholder: 'e.g. url, keyword',
		description: 'Fields of the collector\'s input schema to take from each item, separated by commas',
		displayOptions: { show: { inputSource: ['items'], fieldsToSend: ['selected'] } },
	},
	{
		displayName: 'Inputs',
		name: 'inputs',
		type: 'json',
		default: '[\n  {\n    "url": "https://example.com/product/1"\n  }\n]',
		required: true,
		description:
			'A JSON array of input objects that match the collector\'s input schema. Evaluated for each incoming item; with one incoming item it is sent once.',
		hint: 'The default input schema is a single "url" field',
		displayOptions: { show: { inputSource: ['json'] } },
	},
];
