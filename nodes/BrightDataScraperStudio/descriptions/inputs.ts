import type { INodeProperties } from 'n8n-workflow';

const EXAMPLE_INPUTS = '[{"url": "https://example.com/product/1"}]';

const inputSource: INodeProperties = {
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
};

// An AI agent's tool has no incoming items, so its copies default to Inputs as text the model fills
// ($fromAI): n8n's tool test dialog and most models give a JSON value as a string.
export const inputFields: INodeProperties[] = [
	{
		...inputSource,
		hint: 'Each input is one page or query for the collector, e.g. {"url": "https://example.com/product/1"}',
		displayOptions: { show: { '@tool': [false] } },
	},
	{ ...inputSource, default: 'json', displayOptions: { show: { '@tool': [true] } } },
	{
		displayName: 'Fields to Send',
		name: 'fieldsToSend',
		type: 'options',
		default: 'all',
		hint: 'Bright Data refuses fields the collector does not define (422): pick Selected Fields when items carry others',
		displayOptions: { show: { inputSource: ['items'] } },
		options: [
			{
				name: 'All Fields',
				value: 'all',
				description: "Send each item's JSON as it is",
			},
			{
				name: 'Selected Fields',
				value: 'selected',
				description:
					"Send only the fields of the collector's input schema. Bright Data answers 422 to fields it does not know.",
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
		description:
			"Fields of the collector's input schema to take from each item, separated by commas",
		displayOptions: { show: { inputSource: ['items'], fieldsToSend: ['selected'] } },
	},
	{
		displayName: 'Inputs',
		name: 'inputs',
		type: 'json',
		default: '[\n  {\n    "url": "https://example.com/product/1"\n  }\n]',
		required: true,
		description:
			"A JSON array of input objects that match the collector's input schema. Evaluated for each incoming item; with one incoming item it is sent once.",
		hint: 'The default input schema is a single "url" field',
		displayOptions: { show: { inputSource: ['json'], '@tool': [false] } },
	},
	{
		displayName: 'Inputs',
		name: 'inputs',
		type: 'string',
		default: `={{ /*n8n-auto-generated-fromAI-override*/ $fromAI('inputs', 'The pages to scrape, as a JSON array of input objects, e.g. ${EXAMPLE_INPUTS}', 'string') }}`,
		required: true,
		description: `A JSON array of input objects, e.g. ${EXAMPLE_INPUTS}. By default the model fills it.`,
		displayOptions: { show: { inputSource: ['json'], '@tool': [true] } },
	},
];
