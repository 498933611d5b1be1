/**
 * README screenshots of the Collector operations, in the dev environment (scripts/dev.mjs) with headless
 * Chromium, saved into docs/images/:
 *   collector-actions.png     the nodes panel with the node opened: its actions, the Collector group among them
 *   create-with-ai.png        the "Create collector" node of the create-collector-wait-loop example: its parameters
 *   self-heal-output.png      the self-healing-collection example's "Self-Heal" node after "Execute step" against
 *                             the emulator: the proposal item (summary, steps changed, diff, preview rows)
 *
 *   node --import tsx scripts/screenshotCollector.mjs
 *
 * Needs what scripts/screenshot.mjs needs (Debian's chromium, playwright-core).
 */
import { drag, log, openEditor, openNode, session, shoot, startDev } from './screenshotKit.mjs';

const VIEWPORT = { width: 1440, height: 900 };
const NODE = 'Bright Data Scraper Studio';

/** A new workflow with a Manual Trigger (so the panel offers actions), then the node opened in the nodes panel. */
async function nodesPanel(page, url) {
	await page.goto(`${url}/workflow/new`);
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.getByText('Trigger manually', { exact: true }).click();
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.locator('[data-test-id="node-creator-plus-button"]').click();
	await page.locator('[data-test-id="node-creator-search-bar"]').fill('Bright Data');
	await page.waitForTimeout(1500); // the search is debounced
	await page.locator('[data-test-id="item-iterator-item"]').filter({ hasText: NODE }).first().click();
	await page.waitForTimeout(1000);
}

/** Makes the window tall enough that `panel` shows all it holds without scrolling. */
async function fitHeight(page, panel) {
	const overflow = await panel.evaluate((el) => el.scrollHeight - el.clientHeight);
	await page.setViewportSize({ width: VIEWPORT.width, height: VIEWPORT.height + Math.max(0, overflow) + 8 });
	await page.waitForTimeout(500);
}

await session(async (state) => {
	const dev = (state.dev = await startDev());
	const { browser, page } = await openEditor(dev.url, VIEWPORT);
	state.browser = browser;

	// 1. The node's actions in the nodes panel: all 15 fit in the 900 px window (the Triggers group is below).
	await nodesPanel(page, dev.url);
	state.saved.push(await shoot(page, 'collector-actions.png'));

	// 2. Create with AI's parameters, Options open (the example sets Return at Once).
	let ndv = await openNode(page, dev, 'create-collector-wait-loop', 'Create collector');
	await ndv.locator('[data-test-id="parameter-input-url"]').waitFor();
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_right_"]').first(), 160);
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_left_"]').first(), -160);
	await fitHeight(page, ndv.locator('[data-test-id="node-parameters"]'));
	state.saved.push(await shoot(page, 'create-with-ai.png'));
	await page.setViewportSize(VIEWPORT);

	// 3. Self-Heal after a run: "Execute step" runs the nodes before it too (the scrape that finds the
	//    price empty), then the heal, which reaches its proposal in 48 s at the emulator's 10×.
	ndv = await openNode(page, dev, 'self-healing-collection', 'Self-Heal');
	await ndv.locator('[data-test-id="parameter-input-prompt"]').waitFor();
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_right_"]').first(), -500);
	const runStart = Date.now();
	await ndv.locator('[data-test-id="node-execute-button"]').click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="node-run-status-success"]').waitFor({ timeout: 300_000 });
	log(`Self-Heal ran in ${((Date.now() - runStart) / 1000).toFixed(1)} s`);
	await drag(page, ndv.locator('[data-test-id="panel-drag-button"]'), -400);
	const json = output.locator('[data-test-id="radio-button-json"]');
	if (await json.isVisible()) await json.click();
	await page.waitForTimeout(800);
	state.saved.push(await shoot(page, 'self-heal-output.png'));
});
