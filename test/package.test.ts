import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';

const root = join(__dirname, '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

describe('the built package', () => {
	// The one test of the built package: it builds dist/ itself, so no other test waits for a build.
	beforeAll(() => {
		execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe' });
	}, 120_000);

	test('n8n\'s package loader finds the node and the credential through package.json', async () => {
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();

		const node = loader.nodeTypes.brightDataScraperStudio?.type;
		expect(node?.description).toMatchObject({
			name: 'brightDataScraperStudio',
			displayName: 'Bright Data Scraper Studio',
			version: 1,
			usableAsTool: true,
		});
		expect(loader.credentialTypes.brightDataScraperStudioApi?.type).toMatchObject({
			name: 'brightDataScraperStudioApi',
		});
		// n8n registers it as <package name>.<node name>, the type saved workflows use.
		expect(loader.packageName).toBe('n8n-nodes-brightdata-scraper-studio');
		expect(loader.types.nodes.map(({ name }) => name)).toEqual(
			expect.arrayContaining(['brightDataScraperStudio', 'brightDataScraperStudioTrigger']),
		);
		expect(loader.nodeTypes.brightDataScraperStudioTrigger?.type.description).toMatchObject({
			displayName: 'Bright Data Scraper Studio Trigger',
			group: ['trigger'],
		});
	});

	test('the delivery credentials load, each linked to the node whose credentialTest checks it', async () => {
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
		const node = loader.nodeTypes.brightDataScraperStudio.type as { methods?: { credentialTest?: Record<string, unknown> } } & {
			description: { credentials?: Array<{ name: string; testedBy?: unknown }> };
		};
		for (const kind of ['S3', 'Gcs', 'Azure', 'Sftp', 'Webhook']) {
			const name = `brightDataScraperStudio${kind}Api`;
			expect(loader.credentialTypes[name]?.type).toMatchObject({ name, displayName: expect.stringMatching(/^Bright Data Scraper Studio: .+ Delivery API$/) });
			// n8n's credential tester finds `testedBy` through this list (prefixed with the package name on load).
			expect([name, loader.known.credentials[name]?.supportedNodes]).toEqual([name, ['brightDataScraperStudio']]);
			const testedBy = node.description.credentials?.find((entry) => entry.name === name)?.testedBy;
			expect([name, typeof node.methods?.credentialTest?.[String(testedBy)]]).toEqual([name, 'function']);
		}
	});

	test('the trigger\'s secret credential loads, linked to the trigger node whose credentialTest checks it', async () => {
		const loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
		const name = 'brightDataScraperStudioTriggerSecretApi';
		const node = loader.nodeTypes.brightDataScraperStudioTrigger.type as { methods?: { credentialTest?: Record<string, unknown> } } & {
			description: { credentials?: Array<{ name: string; testedBy?: unknown }> };
		};
		expect(loader.credentialTypes[name]?.type).toMatchObject({ name, displayName: 'Bright Data Scraper Studio: Trigger Secret API' });
		expect(loader.known.credentials[name]?.supportedNodes).toEqual(['brightDataScraperStudioTrigger']);
		const testedBy = node.description.credentials?.find((entry) => entry.name === name)?.testedBy;
		expect(typeof node.methods?.credentialTest?.[String(testedBy)]).toBe('function');
	});

	test('the icons and the codex file sit where the compiled files point', () => {
		const nodeDir = join(root, 'dist/nodes/BrightDataScraperStudio');
		expect(existsSync(join(nodeDir, 'BrightDataScraperStudio.node.json'))).toBe(true);
		expect(existsSync(join(nodeDir, '../../icons/brightdata.svg'))).toBe(true);
		expect(existsSync(join(nodeDir, '../../icons/brightdata.dark.svg'))).toBe(true);
		expect(existsSync(join(root, 'dist/credentials', '../icons/brightdata.svg'))).toBe(true);
	});

	test('follows n8n\'s community package rules', () => {
		expect(packageJson.name).toBe('n8n-nodes-brightdata-scraper-studio');
		expect(packageJson.keywords).toContain('n8n-community-node-package');
		expect(packageJson.dependencies ?? {}).toEqual({});
		expect(packageJson.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(packageJson.files).toEqual(['dist']);
		for (const banned of ['prepare', 'preinstall', 'install', 'postinstall', 'prepublish']) {
			expect(packageJson.scripts[banned]).toBeUndefined();
		}
	});

	test('the published tarball ships dist/, LICENSE and README only, and nothing from test/ or the emulator', () => {
		const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }));
		const files: string[] = pack.files.map(({ path }: { path: string }) => path);
		expect(files).toContain('dist/nodes/BrightDataScraperStudio/BrightDataScraperStudio.node.js');
		expect(files).toContain('dist/credentials/BrightDataScraperStudioApi.credentials.js');
		expect(files.filter((file) => !file.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
		expect(files.filter((file) => /(^|\/)(test|emulator|bench|scripts)\//.test(file) || file.endsWith('.test.js'))).toEqual([]);
	});

	test('author, license, repository and homepage agree, as n8n\'s verification checks them', () => {
		const repository = 'github.com/brightdata-scraper-studio/n8n-nodes-brightdata-scraper-studio';
		expect(packageJson.repository.url).toBe(`git+https://${repository}.git`);
		expect(packageJson.homepage).toBe(`https://${repository}#readme`);
		expect(packageJson.bugs.url).toBe(`https://${repository}/issues`);
		expect(packageJson.author).toEqual({ name: expect.stringMatching(/\S/), email: expect.stringMatching(/^[^@\s]+@[^@\s]+\.[a-z]+$/), url: expect.any(String) });
		expect(packageJson.license).toBe('MIT');
		const license = readFileSync(join(root, 'LICENSE'), 'utf8');
		expect(license).toMatch(/^MIT License\n/);
		expect(license).toContain(`Copyright (c) 2026 ${packageJson.author.name}`);
	});

	test('"strict" tells the truth: n8n-node lint accepts strict mode only with n8n\'s unmodified eslint config', () => {
		const template = readFileSync(join(root, 'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs'), 'utf8');
		const normalized = (text: string) => text.replace(/\s+/g, ' ').trim();
		const isDefault = normalized(readFileSync(join(root, 'eslint.config.mjs'), 'utf8')) === normalized(template);
		expect(packageJson.n8n.strict).toBe(isDefault);
	});
});
