import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import type { Resource } from '../actions/types';

/**
 * A resource's Operation list; twice when an AI agent's tool opens on another operation, since a default
 * that differs by node type needs its own parameter ("@tool"). The nodes panel lists the first copy.
 */
function operationFields(resource: Resource): INodeProperties[] {
	const { option, operations, defaultOperation, toolDefaultOperation: toolDefault } = resource;
	const field = (operation: string, show = {}): INodeProperties => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [option.value], ...show } },
		default: operation,
		options: operations.map(({ option: { name, value, description, action } }) => ({
			name,
			value,
			description,
			action,
		})),
	});
	return toolDefault
		? [field(defaultOperation, { '@tool': [false] }), field(toolDefault, { '@tool': [true] })]
		: [field(defaultOperation)];
}

/** Every parameter of the node: Resource, each resource's Operation list, and each operation's own parameters. */
export function nodeProperties(resources: Resource[]): INodeProperties[] {
	const resourceField: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'collection',
		options: resources.map(({ option }) => option),
	};
	const operationProperties = resources.flatMap(({ option: resource, operations }) =>
		operations.flatMap(({ option, properties }) =>
			updateDisplayOptions(
				{ show: { resource: [resource.value], operation: [option.value] } },
				properties,
			),
		),
	);
	return [resourceField, ...resources.flatMap(operationFields), ...operationProperties];
}

/** The canvas subtitle: the operation in words, e.g. "Trigger and Wait" or "Get Many Jobs". */
export function subtitleOf(resources: Resource[]): string {
	const words = Object.fromEntries(
		resources.flatMap(({ operations }) =>
			operations.map(({ option }) => [option.value, option.subtitle ?? option.name]),
		),
	);
	return `={{ (${JSON.stringify(words)})[$parameter["operation"]] ?? $parameter["operation"] }}`;
}
