import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/** How an operation appears in the Operation list and, through `action`, in the nodes panel. */
export interface OperationOption extends INodePropertyOptions {
	value: string;
	action: string;
	/** The canvas subtitle, when the name alone does not say it (e.g. "Get Job"). */
	subtitle?: string;
}

export interface Operation {
	option: OperationOption;
	/** Shown only for this operation (the resource's index adds the display options). */
	properties: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** One resource: its entry in the Resource list and its operations, in the order n8n lists them (alphabetical). */
export interface Resource {
	option: INodePropertyOptions & { value: string };
	operations: Operation[];
	defaultOperation: string;
	/** For an AI agent's tool: the operation the tool opens on. */
	toolDefaultOperation?: string;
}
