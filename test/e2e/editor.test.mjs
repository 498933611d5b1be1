/**
 * The node in a real n8n editor (n8n 2.41.1, headless Chromium through playwright-core):
 *
 *  1. Searching "Bright Data" in the nodes panel and opening the node lists its actions grouped by
 *     resource ("Collection Actions", "Job Actions") and the trigger's events, like n8n's own nodes.
 *  2. Searching an action's words ("snapshot", "get many jobs") finds the action.
 *  3. An action added from the panel is named after it, and renamed when the operation changes.
 *  4. n8n still offers the node as an AI-agent tool (its generated "…Tool" type).
 *
 * Needs Debian's chromium (prerequisites.mjs installs it as root or with CI=true; otherwise the suite
 * fails saying how to install it).
 * EDITOR_SCREENSHOTS=<folder> also saves the nodes panel pictures there (README uses docs/images).
 * Run: node --import tsx --test test/e2e/editor.test.mjs
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { chromium, selectors } from 'playwright-core';

import { CHROMIUM, ensureChromium } from './prerequisites.mjs';
import { startDevEnvironment } from '../../scripts/dev.mjs';
import { DEFAULT_OWNER, freePort, login } from '../../scripts/n8n/n8n.mjs';
import { N8nRest, waitFor } from './server.mjs';

const root = join(import.meta.dirname, '..', '..');
const NODE = 'Bright Data Scraper Studio';
const shots = process.env.EDITOR_SCREENSHOTS ? resolve(root, process.env.EDITOR_SCREENSHOTS) : undefined;

let server; // npm run dev: n8n with the package, the emulator at 10× and its credential
let rest;
let browser;
let page;

before(async () => {
	ensureChromium();
	server = await startDevEnvironment({ port: await freePort(), log: (line) => console.log(`[dev] ${line}`) });
	rest = new N8nRest(server.url, await login(server.url));

	selectors.setTestIdAttribute('data-test-id'); // n8n's attribute; Playwright's default is data-testid
	browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
	page = await context.newPage();
	// Generous: the editor's first load compiles a lot of JavaScript, slow on a busy 2-core machine.
	page.setDefaultTimeout(60_000);
	page.setDefaultNavigationTimeout(180_000);
	await page.goto(`${server.url}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', DEFAULT_OWNER.email);
	await page.fill('input[name="password"]', DEFAULT_OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
});

after(async () => {
	await browser?.close();
	await server?.stop();
});

const items = () => page.getByTestId('item-iterator-item');
const texts = async (locator) => (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());

async function shoot(name) {
	if (!shots) return;
	mkdirSync(shots, { recursive: true });
	await page.mouse.move(5, 895);
	await page.waitForTimeout(400);
	await page.screenshot({ path: join(shots, name) });
	console.log(`saved ${join(shots, name)}`);
}

/**
 * A fresh workflow with a Manual Trigger (so the panel offers actions, not only triggers), then the
 * nodes panel open with `text` typed into its search.
 */
async function search(text) {
	await page.goto(`${server.url}/workflow/new`);
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').waitFor();
	await page.getByText('Trigger manually', { exact: true }).click();
	await page.keyboard.press('Escape');
	await page.getByTestId('canvas-node').first().waitFor();
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill(text);
	await page.waitForTimeout(1500); // the search is debounced
}

/** Opens the node found by the current search and returns the panel's category and item texts. */
async function openNode() {
	await items().filter({ hasText: NODE }).first().click();
	await page.waitForTimeout(1000);
	return { categories: await texts(page.getByTestId('node-creator-category-item')), actions: await texts(items()) };
}

const ACTIONS = ['Trigger collection and wait for rows', 'Run real-time collection', 'Get dataset of snapshot', 'Create collector with AI', 'Self-heal collector', 'Approve or reject heal of collector', 'Get many jobs', 'Cancel job'];

describe('the nodes panel', () => {
	test('"Bright Data" finds the node; it lists its actions by resource and its trigger events', async () => {
		await search('Bright Data');
		const found = await texts(items());
		assert.ok(found.some((text) => text.startsWith(NODE)), `search results: ${found.join(' | ')}`);
		await shoot('nodes-panel-search.png');

		const { categories, actions } = await openNode();
		await shoot('nodes-panel.png');
		assert.ok(categories.some((text) => /^Actions \(15\)/.test(text)), `categories: ${categories.join(' | ')}`);
		assert.ok(categories.some((text) => /^Triggers \(2\)/.test(text)), `categories: ${categories.join(' | ')}`);
		// Grouped by resource: each group's header comes before its actions.
		const at = (text) => actions.findIndex((item) => item.toLowerCase().startsWith(text.toLowerCase()));
		assert.ok(at('Collection Actions') >= 0 && at('Job Actions') > at('Collection Actions'), `items: ${actions.join(' | ')}`);
		assert.ok(at('Get dataset of snapshot') > at('Collection Actions') && at('Get dataset of snapshot') < at('Job Actions'));
		assert.ok(at('Get many jobs') > at('Job Actions'));
		for (const action of ACTIONS) assert.ok(at(action) >= 0, `"${action}" missing from: ${actions.join(' | ')}`);
		assert.ok(!actions.some((text) => /Custom API Call/.test(text)), 'the panel lists no Custom API Call');
	});

	// n8n 2.41.1 searches node names and the codex aliases, not action names; the aliases carry the
	// action words, and the node found lists the action.
	for (const [words, action] of [
		['snapshot', 'Get dataset of snapshot'],
		['dataset', 'Get dataset of snapshot'],
		['scrape website', 'Trigger collection and wait for rows'],
		['get many jobs', 'Get many jobs'],
	]) {
		test(`"${words}" finds the node, which lists "${action}"`, async () => {
				await search(words);
			const found = await texts(items());
			assert.ok(found.some((text) => text.startsWith(NODE)), `search results for "${words}": ${found.join(' | ')}`);
			const { actions } = await openNode();
			assert.ok(actions.some((text) => text.startsWith(action)), `"${action}" missing from: ${actions.join(' | ')}`);
		});
	}

	test('an added action names the node; switching the operation renames it', async () => {
		await search('Bright Data');
		await openNode();
		await items().filter({ hasText: 'Get many jobs' }).first().click();
		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		await page.waitForTimeout(1000);
		assert.match(await ndv.innerText(), /Get many jobs/);

		await ndv.getByTestId('parameter-input-operation').click();
		await page.getByRole('option').filter({ hasText: /^\s*Get\s*Retrieve a job/ }).first().click();
		await page.waitForTimeout(500);
		await page.keyboard.press('Escape');
		await ndv.waitFor({ state: 'hidden' });
		const names = await texts(page.getByTestId('canvas-node'));
		assert.ok(names.some((text) => text.startsWith('Get job')), `canvas nodes: ${names.join(' | ')}`);
	});

	test('n8n still offers the node as an AI-agent tool', async () => {
		const response = await page.request.get(`${server.url}/types/nodes.json`);
		assert.equal(response.status(), 200);
		const types = await response.json();
		const tool = types.find(({ name }) => /brightDataScraperStudioTool$/.test(name));
		assert.ok(tool, 'no brightDataScraperStudioTool type');
		assert.deepEqual(tool.codex?.subcategories?.AI, ['Tools']);
		const node = types.find(({ name }) => /brightDataScraperStudio$/.test(name));
		assert.equal(node.codex?.subcategories?.AI, undefined);
	});
});

describe('the first run on defaults', () => {
	test('a Trigger and Wait added from the panel returns its rows within seconds of the job being ready, after an hour of emulator uptime', async () => {
		// An hour of emulated uptime: an emulator that reported start_eta on its own clock would now say an
		// hour ahead, which the node used to believe (up to 6 h) and sleep through to its Timeout.
		server.emulator.advance(3600);
		await search('Bright Data');
		await openNode();
		await items().filter({ hasText: 'Trigger collection and wait for rows' }).first().click();
		await page.getByTestId('ndv').waitFor();
		await page.keyboard.press('Escape');
		await page.keyboard.press('Control+s');
		await page.waitForURL((url) => /\/workflow\/[^/]+$/.test(url.pathname) && !url.pathname.endsWith('/new'));
		const workflowId = new URL(page.url()).pathname.split('/').pop();

		// What a new user sets: the collector (ready 20 emulated s = 2 s after the trigger) and one URL.
		const scraperOf = (workflow) => workflow.nodes.find(({ type }) => type.endsWith('brightDataScraperStudio'));
		// The editor saves in the background: wait until the saved workflow has the node.
		const workflow = await waitFor('the saved workflow to hold the node', async () => {
			const saved = await rest.call(`/rest/workflows/${workflowId}`);
			return scraperOf(saved) ? saved : undefined;
		});
		const scraper = scraperOf(workflow);
		scraper.parameters = { ...scraper.parameters, collector: { __rl: true, mode: 'id', value: 'c_products01' }, inputSource: 'json' };
		await rest.call(`/rest/workflows/${workflowId}`, { method: 'PATCH', body: { nodes: workflow.nodes, connections: workflow.connections, versionId: workflow.versionId } });

		await page.reload();
		const before = server.emulator.count('POST', '/dca/trigger');
		await page.getByTestId('execute-workflow-button').first().click();
		const [execution] = await rest.waitForExecutions(workflowId, { predicate: ({ status }) => status !== 'running' && status !== 'new', timeoutMs: 120_000 });
		assert.equal(execution.status, 'success');
		assert.equal(server.emulator.count('POST', '/dca/trigger') - before, 1);
		const seconds = (Date.parse(execution.stoppedAt) - Date.parse(execution.startedAt)) / 1000;
		// Ready 2 s after the trigger; the first check comes 5 s after it. Before the fix: the 900 s Timeout.
		console.log(`first run on defaults: ${seconds} s from start to rows`);
		assert.ok(seconds < 20, `the run took ${seconds} s`);
		await shoot('first-run.png');
	});
});

describe('as an AI-agent tool', () => {
	test('on its defaults the tool runs in n8n\'s tool test dialog: the model\'s Inputs, as text, give rows', async () => {
		const [credential] = (await rest.call('/rest/credentials')).filter(({ type }) => type === 'brightDataScraperStudioApi');
		const tool = {
			id: 'tool',
			name: 'Scraper Tool',
			type: 'CUSTOM.brightDataScraperStudioTool',
			typeVersion: 1,
			position: [0, 0],
			// Only what a user picks: the collector (a real-time one; the tool opens on Run Real-Time).
			parameters: { collector: { __rl: true, mode: 'id', value: 'c_realtime03' } },
			credentials: { brightDataScraperStudioApi: { id: credential.id, name: credential.name } },
		};
		const agent = { id: 'agent', name: 'AI Agent', type: '@n8n/n8n-nodes-langchain.agent', typeVersion: 2, position: [0, -200], parameters: {} };
		const { id } = await rest.call('/rest/workflows', {
			method: 'POST',
			body: { name: 'Tool on defaults', settings: { executionOrder: 'v1' }, nodes: [agent, tool], connections: { 'Scraper Tool': { ai_tool: [[{ node: 'AI Agent', type: 'ai_tool', index: 0 }]] } } },
		});
		await page.goto(`${server.url}/workflow/${id}`);
		await page.getByTestId('canvas-node').filter({ hasText: 'Scraper Tool' }).first().dblclick();
		await page.getByTestId('ndv').waitFor();
		await page.getByTestId('node-execute-button').first().click();
		// n8n asks for the values the model would give: the node's default $fromAI('inputs', …, 'string').
		const field = page.getByTestId('from-ai-parameters-modal-inputs').locator('input, textarea').first();
		await field.fill('[{"url": "https://shop.example/product/lamp"}]');
		await shoot('tool-test-dialog.png');
		await page.getByRole('dialog').getByRole('button', { name: /Execute step/ }).last().click();
		await page.getByTestId('ndv').getByText('Lamp', { exact: true }).first().waitFor();
		const output = await page.getByTestId('ndv').innerText();
		assert.match(output, /title/);
		assert.doesNotMatch(output, /non-empty object|Set node/);
	});
});

