/**
 * Workflows for the end-to-end tests: the examples as users import them (node types rewritten to
 * CUSTOM.*, the way n8n names nodes loaded through N8N_CUSTOM_EXTENSIONS), plus a few built here
 * for what the examples do not show (several items, error paths).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const PACKAGE_PREFIX = 'n8n-nodes-brightdata-scraper-studio.';
export const CREDENTIAL_ID = 'brightdata-scraper-studio';
export const BAD_CREDENTIAL_ID = 'brightdata-bad-token';

/** An example from examples/, with its node types as a custom extension registers them. */
export function example(name) {
	const workflow = JSON.parse(readFileSync(join(root, 'examples', `${name}.json`), 'utf8'));
	for (const node of workflow.nodes) node.type = node.type.replace(PACKAGE_PREFIX, 'CUSTOM.');
	return workflow;
}

/** An n8n Set node (3.4) that sets `fields`: { name: [value or expression, type] }. */
export function setNode({ id, name, x, fields }) {
	const assignments = Object.entries(fields).map(([field, [value, type]]) => ({ id: field, name: field, value, type }));
	return { id, name, type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [x, 0], parameters: { mode: 'manual', assignments: { assignments }, options: {} } };
}

/** n8n's Webhook node (2): POST /webhook/<path>, answered at once; `extra` adds parameters (authentication). */
export function webhookNode({ id = 'hook', name = 'Hook', path, x = 0, extra = {} }) {
	return { id, name, type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [x, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', ...extra, options: {} } };
}

/** A Code node (2) after a webhook: one item per URL of the body's `urls`. */
export const urlItemsNode = (x = 220, jsCode = 'return $json.body.urls.map((url) => ({ json: { url } }));') => ({
	id: 'items',
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [x, 0],
	parameters: { jsCode },
});

const manualTrigger = { id: 'e2e-trigger', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

/**
 * Start → Code (one item per URL) → Bright Data Scraper Studio with the given parameters → a Set
 * node that reads each row's source item through item linking (left out with linkBack: false).
 */
export function scraperAfterItems({ urls, parameters, credentialId = CREDENTIAL_ID, name, linkBack = true }) {
	const code = `return ${JSON.stringify(urls)}.map((url, row) => ({ json: { url, row } }));`;
	const workflow = {
		name,
		nodes: [
			manualTrigger,
			{ id: 'e2e-items', name: 'Product URLs', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: code } },
			{
				id: 'e2e-scraper',
				name: 'Scraper',
				type: 'CUSTOM.brightDataScraperStudio',
				typeVersion: 1,
				position: [440, 0],
				parameters: { resource: 'collection', ...parameters },
				credentials: { brightDataScraperStudioApi: { id: credentialId, name: credentialId } },
			},
			setNode({
				id: 'e2e-after',
				name: 'After',
				x: 660,
				fields: {
					title: ['={{ $json.title }}', 'string'],
					// Item linking: the Code node's item this row was scraped for.
					sourceRow: ["={{ $('Product URLs').item.json.row }}", 'number'],
				},
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Product URLs', type: 'main', index: 0 }]] },
			'Product URLs': { main: [[{ node: 'Scraper', type: 'main', index: 0 }]] },
			Scraper: { main: [[{ node: 'After', type: 'main', index: 0 }]] },
		},
	};
	if (!linkBack) {
		workflow.nodes = workflow.nodes.filter(({ name: node }) => node !== 'After');
		delete workflow.connections.Scraper;
	}
	return workflow;
}
