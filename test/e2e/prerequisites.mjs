/**
 * What the end-to-end tests need on the machine: both tested n8n versions (with Node.js 24),
 * Debian's chromium, redis-server and postgresql (the hub test). `npm run test:e2e` runs this file first, so no test decides
 * "not installed" before the suite has installed it. Debian packages are installed only as root or
 * with CI=true; elsewhere the command to run is printed.
 *
 * Tests use `skipUnless(ok, reason)`: under CI=true a missing prerequisite never skips a test, it
 * runs and fails saying what is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureN8n, TESTED_N8N_VERSIONS } from '../../scripts/n8n/install.mjs';
import { ensurePostgres } from './postgres.mjs';
import { ensureRedisServer } from './redis.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const inCi = process.env.CI === 'true';
const mayInstall = inCi || process.getuid?.() === 0;

/** node:test's `skip` value: the reason when `ok` is false, except under CI=true, where the test runs (and fails). */
export const skipUnless = (ok, reason) => (ok || inCi ? false : reason);

/** Debian's chromium, installed when missing and allowed; throws with the command to run otherwise. */
export function ensureChromium({ log = () => {} } = {}) {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	if (!mayInstall) throw new Error(`${CHROMIUM} is missing: run \`sudo apt-get update && sudo apt-get install -y chromium\``);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const install = () => execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
	log('chromium is missing: apt-get install -y chromium');
	try {
		install();
	} catch {
		execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
		install();
	}
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium finished but ${CHROMIUM} is still missing`);
	return CHROMIUM;
}

export async function ensurePrerequisites() {
	const log = (line) => console.log(`[e2e prerequisites] ${line}`);
	for (const version of TESTED_N8N_VERSIONS) await ensureN8n({ version, log });
	for (const ensure of [ensureRedisServer, ensurePostgres, ensureChromium]) {
		try {
			ensure({ log });
		} catch (error) {
			// Outside CI a developer without root gets skipped tests with this reason instead.
			if (inCi) throw error;
			log(`${error.message}; the tests that need it are skipped`);
		}
	}
	log(`done: n8n ${TESTED_N8N_VERSIONS.join(' and ')}, redis-server, postgresql, ${CHROMIUM}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		await ensurePrerequisites();
	} catch (error) {
		console.error(`[e2e prerequisites] ${error.message}`);
		process.exit(1);
	}
}
