/** The example workflows in examples/ run as they are, against the emulator, so they stay correct. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeConnectionTypes, NodeOperationError, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodeType } from 'n8n-workflow';

import { secondsToMs } from '../../nodes/shared/timing';
import { useEmulator } from '../harness/emulator';
import { EXECUTION_ID, registerNodeType, runWorkflow, WAITING_BASE_URL, type RunResult, type WorkflowDefinition } from '../harness/workflow';

// The examples keep the default 900 s Timeout: at timeScale 100 that is 9 real seconds (at the
// harness's usual 1000 only 0.9 s, which a busy machine can overrun), and a 20 s job takes 0.2 s.
const emulator = useEmulator({ timeScale: 100 });
const example = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, '../../examples', `${name}.json`), 'utf8')) as WorkflowDefinition;
const run = (name: string) => runWorkflow(example(name), { baseUrl: emulator.current().url, token: emulator.current().token });

test('trigger-and-wait: three product rows', async () => {
	const result = await run('trigger-and-wait');

	expect(result.status).toBe('success');
	expect(result.outputOf('Scrape products')[0].map(({ json }) => json.title)).toEqual([
		'Echo Portable Speaker',
		'Nimbus Cloud Storage',
		'Aurora Desk Lamp',
	]);
});

test('run-realtime: one row for the one input', async () => {
	const result = await run('run-realtime');

	expect(result.outputOf('Scrape in real time')[0]).toHaveLength(1);
});

test('job-status: the started job\'s log', async () => {
	const result = await run('job-status');

	expect(result.outputOf('Get job')[0][0].json).toMatchObject({ id: expect.stringMatching(/^j_/), collector: 'c_products01' });
});

// trigger-then-get-dataset uses n8n's Wait node, so it runs in the end-to-end tests in a real n8n.

// n8n-nodes-base is not installed here, so the examples' built-in nodes are small stand-ins: the Code
// node runs the example's own jsCode, IF and Set evaluate the example's own expressions.
const standIn = (name: string, inputs: boolean, execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>, outputs = 1, properties: INodeProperties[] = []): INodeType => ({
	description: {
		displayName: name,
		name,
		group: ['transform'],
		version: [1, 1.1, 1.2, 2, 3.4],
		description: name,
		defaults: { name },
		inputs: inputs ? [NodeConnectionTypes.Main] : [],
		outputs: Array.from({ length: outputs }, () => NodeConnectionTypes.Main),
		properties,
	},
	execute,
});

/** The IF node's conditions that the examples use: numbers (gt, lt) and booleans (true, false), all of them. */
interface Condition {
	leftValue: unknown;
	rightValue: unknown;
	operator: { type: string; operation: string };
}
const holds = ({ leftValue, rightValue, operator }: Condition): boolean => {
	const tests: Record<string, () => boolean> = {
		gt: () => Number(leftValue) > Number(rightValue),
		lt: () => Number(leftValue) < Number(rightValue),
		true: () => leftValue === true,
		false: () => leftValue === false,
	};
	const test = tests[operator.operation];
	if (!test) throw new Error(`the IF stand-in does not know the operation ${operator.operation}`);
	return test();
};
const ifNode = standIn('if', true, async function () {
	const [yes, no]: INodeExecutionData[][] = [[], []];
	this.getInputData().forEach((item, index) => {
		const { conditions } = this.getNodeParameter('conditions', index) as { conditions: Condition[] };
		(conditions.every(holds) ? yes : no).push({ ...item, pairedItem: { item: index } });
	});
	return [yes, no];
}, 2, [{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} }]);

describe('self-healing-collection, with stand-ins for the n8n-nodes-base nodes it uses', () => {
	// The Wait node passes on the approver's answer at once. The real nodes run in test/e2e/selfHealing.test.mjs.
	let answer = 'approve';
	beforeAll(() => {
		registerNodeType('n8n-nodes-base.scheduleTrigger', standIn('scheduleTrigger', false, async () => [[{ json: {} }]]));
		registerNodeType('n8n-nodes-base.code', standIn('code', true, async function () {
			const code = this.getNodeParameter('jsCode', 0) as string;
			const input = { all: () => this.getInputData() };
			return [new Function('$input', code)(input) as INodeExecutionData[]];
		}, 1, [{ displayName: 'Code', name: 'jsCode', type: 'string', default: '' }]));
		registerNodeType('n8n-nodes-base.if', ifNode);
		registerNodeType('n8n-nodes-base.set', standIn('set', true, async function () {
			return [this.getInputData().map((_item, index) => {
				const fields = this.getNodeParameter('assignments.assignments', index) as { name: string; value: string }[];
				return { json: Object.fromEntries(fields.map(({ name, value }) => [name, value])), pairedItem: { item: index } };
			})];
		}, 1, [{ displayName: 'Fields', name: 'assignments', type: 'assignmentCollection', default: {} }]));
		registerNodeType('n8n-nodes-base.wait', standIn('wait', true, async () => [[{ json: { body: { decision: answer } }, pairedItem: { item: 0 } }]]));
	});

	test('rows miss the price → Self-Heal → the approver approves → the collector is repaired, the second run has prices, and the next run stops at the IF', async () => {
		answer = 'approve';
		const result = await run('self-healing-collection');

		expect([result.status, result.error?.message]).toEqual(['success', undefined]);
		expect(result.outputOf('Scrape products')[0].map(({ json }) => json.price)).toEqual([null, null]);
		expect(result.outputOf('Check fields')[0][0].json).toEqual({ missing: ['price'], rows: 2 });
		const [proposal] = result.outputOf('Self-Heal')[0];
		expect(proposal.json).toEqual(expect.objectContaining({ awaiting_approval: true, steps_changed: ['extract_price'] }));
		expect(emulator.current().requests.find(({ path }) => path.endsWith('/refactor_template'))?.body).toEqual({
			prompt: 'These fields come back empty on the product pages since the site changed: price. Fix how they are extracted.',
			custom_input: [],
		});
		expect(result.outputOf('Ask for approval')[0][0].json.answerUrl).toMatch(new RegExp(`^${WAITING_BASE_URL}/${EXECUTION_ID}(\\?|$)`));
		expect(result.outputOf('Approve or Reject Heal')[0][0].json).toEqual(expect.objectContaining({ decision: 'approve', saved_to_production: true, status: 'done' }));
		const again = result.outputOf('Scrape again')[0].map(({ json }) => json.price);
		expect(again).toHaveLength(2);
		expect(again.every((price) => typeof price === 'number')).toBe(true);

		// The repaired collector's rows are complete: the next run stops at the IF before Self-Heal.
		const next = await run('self-healing-collection');
		expect(next.outputOf('Check fields')[0][0].json).toEqual({ missing: [], rows: 2 });
		expect(next.outputOf('Self-Heal')).toEqual([]);
	});
});

describe('create-collector-wait-loop: Create with AI returns at once, then Wait → Get AI Status → IF until done', () => {
	// The Wait stand-in sleeps its amount in emulated time (2 minutes = 1.2 real seconds here), so the
	// loop goes round as often as in a real n8n; the real Wait node parks the execution instead.
	const waitNode = standIn('wait', true, async function () {
		const amount = Number(this.getNodeParameter('amount', 0));
		const seconds = this.getNodeParameter('unit', 0) === 'minutes' ? amount * 60 : amount;
		await new Promise((resolve) => setTimeout(resolve, secondsToMs(seconds)));
		return [this.getInputData()];
	}, 1, [{ displayName: 'Amount', name: 'amount', type: 'number', default: 1 }, { displayName: 'Unit', name: 'unit', type: 'string', default: 'hours' }]);
	const stopAndError = standIn('stopAndError', true, async function () {
		throw new NodeOperationError(this.getNode(), String(this.getNodeParameter('errorMessage', 0)));
	}, 1, [{ displayName: 'Error Message', name: 'errorMessage', type: 'string', default: '' }]);
	beforeAll(() => {
		registerNodeType('n8n-nodes-base.manualTrigger', standIn('manualTrigger', false, async () => [[{ json: {} }]]));
		registerNodeType('n8n-nodes-base.if', ifNode);
		registerNodeType('n8n-nodes-base.wait', waitNode);
		registerNodeType('n8n-nodes-base.stopAndError', stopAndError);
	});
	const runs = (result: RunResult, name: string) => result.run.data.resultData.runData[name]?.length ?? 0;

	test('the AI job is done after a few rounds, and the new collector scrapes the fields of the description', async () => {
		const result = await run('create-collector-wait-loop');

		expect([result.status, result.error?.message]).toEqual(['success', undefined]);
		const created = result.outputOf('Create collector')[0][0].json;
		expect(created).toEqual(expect.objectContaining({ collector_id: expect.stringMatching(/^c_/), status: 'running' }));
		// The emulated job takes 6 minutes: three rounds of 2 minutes, each one read.
		expect(runs(result, 'Get AI status')).toBe(3);
		expect(emulator.current().count('POST', `/dca/collectors/${String(created.collector_id)}/automate_template`)).toBe(1);
		expect(result.outputOf('Get AI status')[0][0].json).toEqual(expect.objectContaining({ collector_id: created.collector_id, done: true, failed: false }));
		const [row] = result.outputOf('Scrape with the new collector')[0];
		expect(Object.keys(row.json)).toEqual(expect.arrayContaining(['title', 'price', 'currency', 'rating']));
		expect(result.outputOf('AI job failed')).toEqual([]);
	});

	test('an AI job that fails ends the loop in the Stop and Error node, which says its status', async () => {
		const workflow = example('create-collector-wait-loop');
		const create = workflow.nodes.find(({ name }) => name === 'Create collector');
		Object.assign(create?.parameters ?? {}, { description: 'Product title; fail' }); // the emulator fails such a job
		const result = await runWorkflow(workflow, { baseUrl: emulator.current().url, token: emulator.current().token });

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The AI job of collector c_\w+ did not finish: status failed, step code_generator$/);
		expect(result.outputOf('Scrape with the new collector')).toEqual([]);
	});
});
