/** The example workflows in examples/ run as they are, against the emulator, so they stay correct. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { useEmulator } from '../harness/emulator';
import { runWorkflow, type WorkflowDefinition } from '../harness/workflow';

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
