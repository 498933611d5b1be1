#!/usr/bin/env node
/**
 * npm run scan: the lint legs of n8n's package scanner (`npx @n8n/scan-community-package`), offline.
 *
 * The scanner itself needs the registry, the npm provenance attestation and the GitHub source, so it
 * only works on a published version. Its analysis does not: `analyzePackage` lints a folder with the
 * scanner's own ESLint config and `allowInlineConfig: false` (eslint-disable comments are ignored).
 * We run it exactly as the scanner does:
 *   1. on this source tree, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/, credentials/);
 *   2. on the unpacked `npm pack` tarball, with ['**\/*.js', 'package.json'] (every shipped .js file).
 * Exit code 1 on any finding. Needs dist/ (npm run scan builds first).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'bdss-scan-'));
// The scanner module creates its download folder with `tmp` when it is imported: keep it in ours.
process.env.TMPDIR = work;

const { analyzePackage, SOURCE_FILE_PATTERNS } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function report(label, result) {
	if (result.passed) {
		console.log(`scan: ${label}: no findings${result.message ? ` (${result.message})` : ''}`);
		return true;
	}
	console.error(`scan: ${label}: ${result.message}`);
	if (result.details) console.error(result.details);
	return false;
}

/** npm pack into the work folder and unpack it, as the scanner does with the published tarball. */
function unpackTarball() {
	if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first (`npm run scan` does)');
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
	);
	const dir = join(work, 'package');
	mkdirSync(dir);
	execFileSync('tar', ['-xzf', join(work, pack.filename), '-C', dir, '--strip-components=1']);
	return { dir, files: pack.files.length };
}

let ok = false;
try {
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	const tarball = unpackTarball();
	const packed = await analyzePackage(tarball.dir, TARBALL_FILE_PATTERNS);
	ok = [report('source tree (package.json, nodes/, credentials/)', source), report(`npm pack tarball (${tarball.files} files)`, packed)].every(Boolean);
} finally {
	rmSync(work, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
