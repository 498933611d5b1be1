/**
 * What the screenshot scripts (screenshot.mjs, screenshotCollector.mjs) share: the dev environment on a
 * free port, headless Chromium logged in to its editor, and the helpers that keep popups and the mouse
 * out of the pictures.
 */
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { join, relative } from 'node:path';

import { chromium } from 'playwright-core';

import { startDevEnvironment } from './dev.mjs';
import { DEFAULT_OWNER, freePort } from './n8n/n8n.mjs';

export const root = join(import.meta.dirname, '..');
export const outDir = join(root, 'docs', 'images');
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
export const log = (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}`);

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

/**
 * The dev environment, with one retry on another port: n8n has been seen to exit during start (code 1,
 * empty log) when other n8n instances were starting on the machine at the same time.
 */
export async function startDev() {
	mkdirSync(outDir, { recursive: true });
	for (let attempt = 1; ; attempt++) {
		const port = await freePortPair();
		log(`starting the dev environment on port ${port}`);
		try {
			return await startDevEnvironment({ port, log: (line) => log(line) });
		} catch (error) {
			if (attempt >= 2) throw error;
			log(`dev environment did not start (${String(error.message).split('\n')[0]}); retrying`);
		}
	}
}

/** Headless Chromium (Debian's, or CHROMIUM_PATH) with a page logged in to the editor at `url`. */
export async function openEditor(url, viewport) {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: CHROMIUM_ARGS, // Playwright adds a fresh temporary --user-data-dir itself
	});
	const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
	const page = await context.newPage();
	page.setDefaultTimeout(120_000);
	page.setDefaultNavigationTimeout(300_000);
	await page.goto(`${url}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', DEFAULT_OWNER.email);
	await page.fill('input[name="password"]', DEFAULT_OWNER.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((current) => !current.pathname.startsWith('/signin'));
	log('logged in');
	return { browser, page };
}

/** Drags from the middle of `locator` by dx pixels, in small steps (n8n's resizers need mouse moves). */
export async function drag(page, locator, dx) {
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
export async function dismissPopups(page) {
	for (const close of await page.locator('.el-dialog__headerbtn, .el-overlay-dialog [aria-label="Close"]').all()) {
		if (await close.isVisible().catch(() => false)) await close.click({ timeout: 2000 }).catch(() => {});
	}
	await dismissToasts(page);
}

/** Saves a screenshot as docs/images/`name`, with toasts closed and the mouse parked where it hovers nothing. */
export async function shoot(page, name, options = {}) {
	const errors = await dismissToasts(page);
	if (errors.length) log(`warning: error toast before ${name}: ${errors.join(' | ')}`);
	await page.mouse.move(page.viewportSize().width - 40, page.viewportSize().height - 4);
	await page.waitForTimeout(600);
	const path = join(outDir, name);
	await page.screenshot({ path, ...options });
	log(`saved ${relative(root, path)}`);
	return path;
}

/** Opens a workflow of the dev environment and the node named `nodeName` in it; returns the NDV. */
export async function openNode(page, dev, workflow, nodeName) {
	await page.goto(`${dev.url}/workflow/${dev.workflows[workflow]}`);
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: nodeName });
	await node.waitFor();
	await page.waitForLoadState('networkidle');
	await dismissPopups(page);
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	return ndv;
}

/**
 * Runs `body`, then closes the browser and the dev environment whatever happened, prints the saved
 * pictures and exits (startDevEnvironment may have left an emulator running if it threw).
 */
export async function session(body) {
	const state = { dev: undefined, browser: undefined, saved: [] };
	const onSignal = () => {
		log('interrupted, stopping');
		Promise.allSettled([state.browser?.close(), state.dev?.stop()]).finally(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	let failed = false;
	try {
		await body(state);
	} catch (error) {
		failed = true;
		console.error(error);
	} finally {
		await state.browser?.close().catch((error) => console.error('browser.close:', error));
		await state.dev?.stop().catch((error) => console.error('dev.stop:', error));
		log(failed ? 'failed' : 'done');
		for (const path of state.saved) console.log(path);
		process.exit(failed ? 1 : 0);
	}
}
