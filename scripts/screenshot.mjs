/**
 * README screenshots: starts the dev environment (scripts/dev.mjs) on a free port, drives headless
 * Chromium through the n8n editor and saves PNGs into docs/images/:
 *   node-parameters.png  the "Scrape products" node's parameter panel (all parameters visible)
 *   node-output.png      the same panel after "Execute step", with the scraped rows in the output table
 *   workflow.png         the "trigger-and-wait" example on the canvas after the run
 *
 *   node --import tsx scripts/screenshot.mjs
 *
 * Needs Debian's chromium (/usr/bin/chromium, or set CHROMIUM_PATH) and the playwright-core devDependency.
 */
import { drag, log, openEditor, openNode, session, shoot, startDev } from './screenshotKit.mjs';

const WORKFLOW = 'trigger-and-wait';
const NODE_NAME = 'Scrape products';
const VIEWPORT = { width: 1440, height: 900 };
const CANVAS_ZOOM_IN_STEPS = 2;

await session(async (state) => {
	const dev = (state.dev = await startDev());
	log(`n8n at ${dev.url}, workflow "${WORKFLOW}" = ${dev.workflows[WORKFLOW]}`);
	const { browser, page } = await openEditor(dev.url, VIEWPORT);
	state.browser = browser;
	const { saved } = state;

	// Open the workflow and its node.
	const ndv = await openNode(page, dev, WORKFLOW, NODE_NAME);
	await ndv.locator('[data-test-id="parameter-input-outputMode"]').waitFor();
	await page.waitForTimeout(1000);

	// 1. Parameters: widen the middle panel so the Inputs JSON does not wrap, and make the window tall
	//    enough for the whole parameter list (Credential … Options) to show without scrolling.
	const mainPanel = ndv.locator('[data-test-id="node-parameters"]');
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_right_"]').first(), 160);
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_left_"]').first(), -160);
	const overflow = await mainPanel.evaluate((el) => el.scrollHeight - el.clientHeight);
	await page.setViewportSize({ width: VIEWPORT.width, height: VIEWPORT.height + Math.max(0, overflow) + 8 });
	await page.waitForTimeout(500);
	saved.push(await shoot(page, 'node-parameters.png'));
	await page.setViewportSize(VIEWPORT);

	// 2. Output: narrow the middle panel to its minimum width, run the node, then move the middle panel
	//    left just enough for the whole rows table to show without a horizontal scrollbar.
	await drag(page, ndv.locator('[class*="_resizer_"][class*="_right_"]').first(), -500);
	await page.waitForTimeout(300);
	const runStart = Date.now();
	await ndv.locator('[data-test-id="node-execute-button"]').click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('[data-test-id="node-run-status-success"]').waitFor({ timeout: 120_000 });
	await output.locator('table').waitFor();
	log(`node ran in ${((Date.now() - runStart) / 1000).toFixed(1)} s; output: ${(await output.locator('[data-test-id="branches"]').innerText()).replace(/\s+/g, ' ')}`);
	const radioTable = output.locator('[data-test-id="radio-button-table"]');
	if (await radioTable.isVisible()) await radioTable.click();
	for (let attempt = 0; attempt < 3; attempt++) {
		await page.waitForTimeout(300);
		const overflow = await output.evaluate((panel) =>
			Math.max(0, ...[...panel.querySelectorAll('*')].filter((el) => /(auto|scroll)/.test(getComputedStyle(el).overflowX)).map((el) => el.scrollWidth - el.clientWidth)),
		);
		if (overflow <= 1) break;
		log(`output table is ${overflow}px too wide, moving the parameter panel left`);
		await drag(page, ndv.locator('[data-test-id="panel-drag-button"]'), -Math.max(overflow + 24, 40)); // small drags do not register
	}
	saved.push(await shoot(page, 'node-output.png'));

	// 3. Canvas after the run (green checks, item counts on the connection).
	await ndv.locator('[data-test-id="ndv-close-button"]').click();
	await ndv.waitFor({ state: 'hidden' });
	await page.mouse.click(VIEWPORT.width / 2, VIEWPORT.height - 200); // empty canvas: deselect the node
	await page.locator('[data-test-id="zoom-to-fit"]').click();
	await page.waitForTimeout(400);
	for (let i = 0; i < CANVAS_ZOOM_IN_STEPS; i++) {
		await page.locator('[data-test-id="zoom-in-button"]').click();
		await page.waitForTimeout(300);
	}
	saved.push(await shoot(page, 'workflow.png'));
});
