/** The example workflows in examples/ run as they are, against the emulator, so they stay correct. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeProperties, type INodeType } from 'n8n-workflow';

import { useEmulator } from '../harness/emulator';
import { EXECUTION_ID, registerNodeType, runWorkflow, WAITING_BASE_URL, type WorkflowDefinition } from '../harness/workflow';

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


describe('self-healing-collection, with stand-ins for the n8n-nodes-base nodes it uses', () => {
	// n8n-nodes-base is not installed here, so its nodes are small stand-ins: the Code node runs the
	// example's own jsCode, IF and Set evaluate the example's own expressions, and the Wait node
	// passes on the approver's answer at once. The real nodes run in test/e2e/selfHealing.test.mjs.
	const node = (name: string, inputs: boolean, execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>, outputs = 1, properties: INodeProperties[] = []): INodeType => ({
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
	let answer = 'approve';
	beforeAll(() => {
		registerNodeType('n8n-nodes-base.scheduleTrigger', node('scheduleTrigger', false, async () => [[{ json: {} }]]));
		registerNodeType('n8n-nodes-base.code', node('code', true, async function () {
			const code = this.getNodeParameter('jsCode', 0) as string;
			const input = { all: () => this.getInputData() };
			return [new Function('$input', code)(input) as INodeExecutionData[]];
		}, 1, [{ displayName: 'Code', name: 'jsCode', type: 'string', default: '' }]));
		registerNodeType('n8n-nodes-base.if', node('if', true, async function () {
			const [yes, no]: INodeExecutionData[][] = [[], []];
			this.getInputData().forEach((item, index) => {
				const { conditions } = this.getNodeParameter('conditions', index) as { conditions: { leftValue: number; rightValue: number }[] };
				(conditions.every(({ leftValue, rightValue }) => leftValue > rightValue) ? yes : no).push({ ...item, pairedItem: { item: index } });
			});
			return [yes, no];
		}, 2, [{ displayName: 'Conditions', name: 'conditions', type: 'filter', default: {} }]));
		registerNodeType('n8n-nodes-base.set', node('set', true, async function () {
			return [this.getInputData().map((_item, index) => {
				const fields = this.getNodeParameter('assignments.assignments', index) as { name: string; value: string }[];
				return { json: Object.fromEntries(fields.map(({ name, value }) => [name, value])), pairedItem: { item: index } };
			})];
		}, 1, [{ displayName: 'Fields', name: 'assignments', type: 'assignmentCollection', default: {} }]));
		registerNodeType('n8n-nodes-base.wait', node('wait', true, async () => [[{ json: { body: { decision: answer } }, pairedItem: { item: 0 } }]]));
	});

	test('rows miss the price → Self-Heal → the approver approves → the collector is repaired and the second run has prices', async () => {
		answer = 'approve';
		const result = await run('self-healing-collection');

		expect([result.status, result.error?.message]).toEqual(['success', undefined]);
		expect(result.outputOf('Scrape products')[0].map(({ json }) => json.price)).toEqual([null, null]);
		expect(result.outputOf('Check fields')[0][0].json).toEqual({ missing: ['price'], rows: 2 });
		const [proposal] = result.outputOf('Self-Heal')[0];
		expect(proposal.json).toEqual(expect.objectContaining({ awaiting_approval: true, steps_changed: ['extract_price'] }));
		expect(emulator.current().requests.find(({ path }) => path.endsWith('/refactor_template'))?.body).toEqual({
			prompt: 'The fields price come back empty on the product pages since the site changed. Fix how they are extracted.',
			custom_input: [],
		});
		expect(result.outputOf('Ask for approval')[0][0].json.answerUrl).toMatch(new RegExp(`^${WAITING_BASE_URL}/${EXECUTION_ID}(\\?|$)`));
		expect(result.outputOf('Approve or Reject Heal')[0][0].json).toEqual(expect.objectContaining({ decision: 'approve', saved_to_production: true, status: 'done' }));
		const again = result.outputOf('Scrape again')[0].map(({ json }) => json.price);
		expect(again).toHaveLength(2);
		expect(again.every((price) => typeof price === 'number')).toBe(true);
	});

	test('rows complete: the IF stops before Self-Heal', async () => {
		const result = await run('self-healing-collection');
		// The first test's approved heal repaired the collector on this emulator.
		expect(result.outputOf('Check fields')[0][0].json).toEqual({ missing: [], rows: 2 });
		expect(result.outputOf('Self-Heal')).toEqual([]);
	});
});
