/**
 * What the editor shows: actions in the nodes panel, node names, subtitle, defaults, tool mode.
 * Uses n8n-workflow's own helpers (getNodeParameters, makeNodeName, displayParameter) on the node's
 * real description, so a change n8n would see differently fails here.
 */
import {
	generateZodSchema,
	NodeHelpers,
	traverseNodeParameters,
	Workflow,
	type FromAIArgument,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeTypeDescription,
	type INodeTypes,
} from 'n8n-workflow';

import { SIMPLE_JOB_FIELDS, simplifyJob } from '../../nodes/BrightDataScraperStudio/actions/job/get.operation';
import { BrightDataScraperStudio } from '../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node';
import codex from '../../nodes/BrightDataScraperStudio/BrightDataScraperStudio.node.json';
import { resources } from '../../nodes/BrightDataScraperStudio/actions';
import { subtitleOf } from '../../nodes/BrightDataScraperStudio/descriptions/resource';
import { collectorLabel } from '../../nodes/BrightDataScraperStudio/methods/listSearch';
import { readWaitOptions } from '../../nodes/BrightDataScraperStudio/options/wait';
import { mapApiError } from '../../nodes/shared/transport/errors';

const description = new BrightDataScraperStudio().description;
/** The tool variant n8n builds from usableAsTool: same properties, name + "Tool". */
const toolDescription: INodeTypeDescription = { ...description, name: `${description.name}Tool` };

const node = (type = description.name, parameters = {}): INode => ({
	id: 'n',
	name: 'Bright Data Scraper Studio',
	type,
	typeVersion: 1,
	position: [0, 0],
	parameters,
});

/** The parameters n8n stores for a node added with no changes (defaults of what is displayed). */
function defaults(type: INodeTypeDescription, parameters = {}) {
	return NodeHelpers.getNodeParameters(type.properties, parameters, true, false, node(type.name, parameters), type) ?? {};
}

function operationsOf(resource: string): INodePropertyOptions[] {
	const property = description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	) as INodeProperties;
	return property.options as INodePropertyOptions[];
}

describe('nodes panel', () => {
	test('the codex leaves the AI tool subcategory to the tool variant, so n8n lists the actions', () => {
		// n8n's editor (useActionsGeneration) lists no actions for a codex with subcategories.AI = ["Tools"].
		expect(codex.subcategories).not.toHaveProperty('AI');
		expect(description.usableAsTool).toBeTruthy();
	});

	test.each(['collection', 'collector', 'job'])('every %s operation has an action in sentence case, without articles', (resource) => {
		for (const { action, name } of operationsOf(resource)) {
			expect(action).toBeDefined();
			// Sentence case; "AI" keeps its capitals.
			expect(action).toMatch(/^[A-Z][a-z-]*( [a-z-]+| AI)*$/);
			expect(action).not.toMatch(/\b(a|an|the|its)\b/);
			expect(`${name}`).toMatch(/^[A-Z]/);
		}
	});

	test('the actions a search for "snapshot", "dataset" or "get many jobs" should find exist; the codex has the words users type', () => {
		const actions = [...operationsOf('collection'), ...operationsOf('job')].map(({ action }) => action);
		expect(actions).toContain('Get many jobs');
		expect(actions).toContain('Get dataset of snapshot');
		expect(codex.alias).toEqual(expect.arrayContaining(['Scrape website', 'Dataset', 'Snapshot']));
	});

	test('a node is named after its action, and renamed when the operation changes (n8n makeNodeName)', () => {
		const named = (parameters: INodeParameters) => NodeHelpers.makeNodeName(parameters, description);
		expect(named({ resource: 'collection', operation: 'triggerAndWait' })).toBe('Trigger collection and wait for rows');
		expect(named({ resource: 'job', operation: 'getMany' })).toBe('Get many jobs');
		// The editor renames a node whose name is still the default of its old parameters.
		const old = { resource: 'collection', operation: 'triggerAndWait' };
		expect(NodeHelpers.isDefaultNodeName('Trigger collection and wait for rows', description, old)).toBe(true);
	});

	test('the subtitle names the operation in words', () => {
		const map = JSON.parse(/\((\{.*\})\)/.exec(subtitleOf(resources))![1]) as Record<string, string>;
		for (const { value } of [...operationsOf('collection'), ...operationsOf('job')]) {
			expect(map[String(value)]).toMatch(/^[A-Z][A-Za-z-]*( [A-Za-z-]+)*$/);
		}
		expect(map.triggerAndWait).toBe('Trigger and Wait');
		expect(map.getMany).toBe('Get Many Jobs');
	});
});

describe('the line under a waiting node (waitingNodeTooltip)', () => {
	const nodeType = new BrightDataScraperStudio();
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	/** What the editor shows: n8n's waitingNodeTooltip() evaluates it with getSimpleParameterValue over the node in the editor's Workflow. */
	function tooltip(parameters: INodeParameters): string {
		const scraper = node(description.name, defaults(description, parameters));
		const workflow = new Workflow({ nodes: [scraper], connections: {}, active: false, nodeTypes });
		const $execution = { id: '1', mode: 'test' as const, resumeUrl: 'http://localhost:5678/webhook-waiting/1', resumeFormUrl: 'http://localhost:5678/form-waiting/1' };
		return String(workflow.expression.getSimpleParameterValue(scraper, description.waitingNodeTooltip!, 'internal', { $execution }));
	}
	const notification = { resource: 'collection', operation: 'triggerAndWait', waitMode: 'notification' };

	test('Resume on Notification: what it waits for and what happens at the timeout, with the node\'s timeout', () => {
		expect(tooltip(notification)).toBe(
			'Waiting for Bright Data to call back when the job is done; the execution waits in the database meanwhile. ' +
				'If no call comes within the timeout (900 s) plus 5 minutes, the execution continues and this node outputs the snapshot IDs with timed_out: true.',
		);
		expect(tooltip({ ...notification, options: { timeout: 60 } })).toContain('within the timeout (60 s) plus 5 minutes');
		// $parameter does not resolve an expression inside a collection: a Timeout given as one is named, not shown.
		expect(tooltip({ ...notification, options: { timeout: '={{ $json.seconds }}' } })).toContain('within the Timeout option plus 5 minutes');
	});

	test('nothing for any other operation or wait mode (the node waits only with Resume on Notification)', () => {
		expect(tooltip({ resource: 'collection', operation: 'triggerAndWait' })).toBe('');
		expect(tooltip({ ...notification, waitMode: 'poll' })).toBe('');
		expect(tooltip({ ...notification, operation: 'getDataset' })).toBe('');
		expect(tooltip({ resource: 'job', operation: 'get' })).toBe('');
	});

	test('the expression holds no "}}" before its end, which would cut it short', () => {
		expect(description.waitingNodeTooltip).toMatch(/^=\{\{ \(/);
		expect(description.waitingNodeTooltip!.slice(0, -2)).not.toContain('}}');
	});
});

describe('defaults', () => {
	test('a new node opens on Trigger and Wait with Incoming Items', () => {
		expect(defaults(description)).toMatchObject({ resource: 'collection', operation: 'triggerAndWait', inputSource: 'items' });
	});

	test('"Replace a Running Job of This Collector" is off when the option is added', () => {
		const options = description.properties.find((p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('trigger'));
		const cancel = (options?.options as INodeProperties[]).find(({ name }) => name === 'confirmCancel');
		expect(cancel?.default).toBe(false);
		expect(cancel?.description).not.toMatch(/confirm_cancel|=1/);
	});

	test('a number option whose text says "Default N" has N as its default (the text is written next to it, not derived)', () => {
		const options = description.properties.filter(({ type }) => type === 'collection').flatMap((p) => p.options as INodeProperties[]);
		const stated = options.filter(({ type, description: text }) => type === 'number' && /Default \d/.test(text ?? ''));
		expect(stated.length).toBeGreaterThan(4);
		for (const { name, default: value, description: text } of stated) expect([name, text?.match(/Default (\d+)/)?.[1]]).toEqual([name, String(value)]);
	});

	test('no tooltip uses API parameter names or doubts', () => {
		const texts = JSON.stringify(description.properties).match(/"(description|hint|displayName)":"(\\.|[^"\\])*"/g) ?? [];
		const jargon = /confirm_cancel|no_downloads|queue_next|version=dev|sent as|disagree/;
		expect(texts.length).toBeGreaterThan(50);
		expect(texts.filter((text) => jargon.test(text))).toEqual([]);
	});
});

describe('as an AI-agent tool', () => {
	test('a tool opens on Run Real-Time; the node on Trigger and Wait', () => {
		expect(defaults(toolDescription)).toMatchObject({ operation: 'runRealtime' });
		expect(defaults(description)).toMatchObject({ operation: 'triggerAndWait' });
	});

	/** What n8n's createNodeAsTool builds for the agent: a schema from the $fromAI calls of the node's parameters. */
	function toolArguments(parameters: INodeParameters): FromAIArgument[] {
		const found: FromAIArgument[] = [];
		traverseNodeParameters(defaults(toolDescription, parameters), found);
		return found;
	}

	test.each(['runRealtime', 'triggerAndWait', 'trigger'])('%s as a tool runs on its defaults: the model fills Inputs, as text', (operation) => {
		expect(defaults(toolDescription, { operation })).toMatchObject({ inputSource: 'json' });
		const [inputs, ...others] = toolArguments({ operation });
		expect(others).toEqual([]);
		expect(inputs).toMatchObject({ key: 'inputs', type: 'string' });
		// n8n's tool test dialog hands a JSON value over as text: a json-typed $fromAI refuses it.
		expect(generateZodSchema(inputs).safeParse('[{"url": "https://example.com/product/1"}]').success).toBe(true);
		expect(generateZodSchema({ ...inputs, type: 'json' }).safeParse('[{"url": "https://example.com/product/1"}]').success).toBe(false);
		// The plain node keeps Incoming Items and asks the model for nothing.
		expect(defaults(description, { operation })).toMatchObject({ inputSource: 'items' });
	});

	test('a tool is offered no File output, no Delivery and no Wait Mode', () => {
		const shown = (type: INodeTypeDescription) => {
			const values = defaults(type, { operation: 'triggerAndWait' });
			return type.properties.filter((p) => NodeHelpers.displayParameter(values, p, node(type.name, values), type)).map((p) => p.name);
		};
		expect(shown(description)).toEqual(expect.arrayContaining(['outputMode', 'delivery', 'waitMode']));
		for (const name of ['outputMode', 'fileFormat', 'binaryPropertyName', 'delivery', 'waitMode']) expect(shown(toolDescription)).not.toContain(name);
	});

	test('Resume on Notification is not offered to a tool, and a tool polls even if it was set', () => {
		expect(defaults(description)).toHaveProperty('waitMode', 'poll');
		expect(defaults(toolDescription, { operation: 'triggerAndWait' })).not.toHaveProperty('waitMode');
		const ctx = (type: string) =>
			({
				getInputData: () => [{ json: {} }],
				getNode: () => node(type),
				getNodeParameter: (name: string, _item: number, fallback: unknown) =>
					name === 'waitMode' ? 'notification' : name === 'options' ? {} : fallback,
			}) as unknown as Parameters<typeof readWaitOptions>[0];
		expect(readWaitOptions(ctx(description.name), 0)).toMatchObject({ mode: 'notification', timeoutSeconds: 900 });
		expect(readWaitOptions(ctx(toolDescription.name), 0)).toMatchObject({ mode: 'poll', timeoutSeconds: 300 });
	});
});

describe('words', () => {
	test('the ID is "Snapshot ID" everywhere, as in Bright Data\'s snapshot_id', () => {
		const jobIds = description.properties.filter((p) => p.name === 'snapshotId' && p.displayOptions?.show?.resource?.includes('job'));
		expect(jobIds.length).toBeGreaterThan(0);
		for (const field of jobIds) expect(field.displayName).toBe('Snapshot ID');
		expect(JSON.stringify(description.properties)).not.toMatch(/Job ID|collection_id/);
		const datasetId = description.properties.find((p) => p.name === 'snapshotId' && p.displayOptions?.show?.operation?.includes('getDataset'));
		expect(datasetId?.displayName).toBe('Snapshot ID');
	});

	test('"Real-Time" is spelt one way: hyphenated', () => {
		const text = JSON.stringify(description.properties);
		expect(text).not.toMatch(/real time|Real time|realtime job|Real-time [A-Z]/);
	});

	test('every options list names each option once (Get Dataset → Wait Until Ready had two Poll Intervals)', () => {
		for (const property of description.properties.filter(({ type }) => type === 'collection')) {
			const names = (property.options as INodeProperties[]).map(({ name }) => name);
			expect([property.displayOptions?.show?.operation, names]).toEqual([property.displayOptions?.show?.operation, [...new Set(names)]]);
		}
	});

	test('Job → Get has Simplify, on by default, keeping 10 fields', () => {
		expect(defaults(description, { resource: 'job', operation: 'get' })).toMatchObject({ simplify: true });
		expect(SIMPLE_JOB_FIELDS).toHaveLength(10);
		expect(Object.keys(simplifyJob({ id: 'j_1', status: 'done', template: 't', dup_inputs: 0 }))).toEqual([...SIMPLE_JOB_FIELDS]);
	});

	test('the collector list marks inactive collectors', () => {
		expect(collectorLabel({ id: 'c_a', name: 'Products', active: true })).toBe('Products (c_a)');
		expect(collectorLabel({ id: 'c_b', name: 'Old', active: false })).toBe('Old (c_b) — inactive');
		expect(collectorLabel({ id: 'c_c' })).toBe('c_c');
	});

	test('a 401 with no subject (the collector picker) carries the fix in its message', () => {
		const error = mapApiError(node(), { statusCode: 401, body: 'Unauthorized' }, {});
		expect(error.message).toMatch(/rejected the API token \(401\): copy it again into the "Bright Data Scraper Studio API" credential/);
	});
});
