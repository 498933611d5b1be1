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
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';

import { chromium } from 'playwright-core';

import { startDevEnvironment } from './dev.mjs';
import { DEFAULT_OWNER, freePort } from './n8n/n8n.mjs';

const root = join(import.meta.dirname, '..');
const outDir = join(root, 'docs', 'images');
const WORKFLOW = 'trigger-and-wait';
const NODE_NAME = 'Scrape products';
const VIEWPORT = { width: 1440, height: 900 };
const CANVAS_ZOOM_IN_STEPS = 2;
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const started = Date.now();
const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

/** A free port whose neighbour (n8n's task broker uses port + 1) is free too, and not 5678. */
async function freePortPair() {
	const isFree = (port) =>
		new Promise((resolve) => {
			const srv = net.createServer();
			srv.once('error', () => resolve(false));
			srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
		});
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await freePort();
		if (port !== 5678 && port !== 5677 && port < 65535 && (await isFree(port + 1))) return port;
	}
	throw new Error('no free port pair found');
}

/** Drags from the middle of `locator` by dx pixels, in small steps (n8n's resizers need mouse moves). */
async function drag(page, locator, dx) {
	const box = await locator.boundingBox();
	if (!box) throw new Error(`drag: ${locator} is not visible`);
	const x = box.x + box.width / 2;
	const y = box.y + box.height / 2;
	await page.mouse.move(x, y);
	await page.mouse.down();
	for (let i = 1; i <= 10; i++) await page.mouse.move(x + (dx * i) / 10, y);
	await page.mouse.up();
}

/** Closes toasts (n8n uses Element Plus notifications); returns the texts of any error toasts. */
async function dismissToasts(page) {
	const errors = await page.locator('.el-notification--error, .el-notification:has(.el-notification__icon.el-icon--error)').allInnerTexts();
	for (const close of await page.locator('.el-notification .el-notification__closeBtn').all()) {
		await close.click({ timeout: 2000 }).catch(() => {});
	}
	await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
	return errors.map((text) => text.replace(/\s+/g, ' ').trim());
}

/** Closes anything that pops up over the editor (modals such as "what's new" or surveys, toasts), if present. */
async function dismissPopups(page) {
	for (const close of await page.locator('.el-dialog__headerbtn, .el-overlay-dialog [aria-label="Close"]').all()) {
		if (await close.isVisible().catch(() => false)) await close.click({ timeout: 2000 }).catch(() => {});
	}
	await dismissToasts(page);
}

async function shoot(page, name, options = {}) {
	const errors = await dismissToasts(page);
	if (errors.length) log(`warning: error toast before ${name}: ${errors.join(' | ')}`);
	// Park the mouse where it hovers nothing (no highlighted resizer, no tooltip).
	await page.mouse.move(page.viewportSize().width - 40, page.viewportSize().height - 4);
	await page.waitForTimeout(600);
	const path = join(outDir, name);
	await page.screenshot({ path, ...options });
	log(`saved ${relative(root, path)}`);
	return path;
}

let dev;
let browser;
const saved = [];
let failed = false;

const onSignal = () => {
	log('interrupted, stopping');
	Promise.allSettled([browser?.close(), dev?.stop()]).finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
	mkdirSync(outDir, { recursive: true });
	// One retry on another port: n8n has been seen to exit during start (code 1, empty log) when other
	// n8n instances were starting on the machine at the same time.
	for (let attempt = 1; !dev; attempt++) {
		const port = await freePortPair();
		log(`starting the dev environment on port ${port}`);
		try {
			dev = await startDevEnvironment({ port, log: (line) => log(line) });
		} catch (error) {
			if (attempt >= 2) throw error;
			log(`dev environment did not start (${String(error.message).split('\n')[0]}); retrying`);
		}
	}
	const workflowId = dev.workflows[WORKFLOW];
	log(`n8n at ${dev.url}, workflow "${WORKFLOW}" = ${workflowId}`);

	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS, // Playwright adds a fresh temporary --user-data-dir itself
	});
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
	const page = await context.newPage();
	page.setDefaultTimeout(120_000);
	page.setDefaultNavigationTimeout(300_000);

	// Log in.
	await page.goto(`${dev.url}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', DEFAULT_OWNER.email);
	await page.fill('input[name="password"]', DEFAULT_OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	log('logged in');

	// Open the workflow and its node.
	await page.goto(`${dev.url}/workflow/${workflowId}`);
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME });
	await node.waitFor();
	await page.waitForLoadState('networkidle');
	await dismissPopups(page);
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
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
} catch (error) {
	failed = true;
	console.error(error);
} finally {
	await browser?.close().catch((error) => console.error('browser.close:', error));
	await dev?.stop().catch((error) => console.error('dev.stop:', error));
	log(failed ? 'failed' : 'done');
	for (const path of saved) console.log(path);
	// Exit explicitly: if startDevEnvironment itself throws (e.g. n8n exits during start), the emulator it
	// already started is not returned to us and would keep the process alive.
	process.exit(failed ? 1 : 0);
}
