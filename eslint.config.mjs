// `npm run lint` runs `n8n-node lint`, which runs `eslint .` with this file.
//
// nodes/, credentials/ and package.json get n8n's own config from @n8n/node-cli, unchanged (the
// community-node rules with n8n Cloud support, the n8n-nodes-base sets, typescript-eslint, import-x).
// n8n's config applies those rules to every .ts file; the emulator, benchmarks, scripts and tests are
// never published and run under Node (timers, process, fs, console are their job), so for those
// folders only the n8n-specific rules are switched off and the generic JS/TypeScript rules stay.
// Their .js/.mjs files (ESM scripts, the e2e tests) get ESLint's recommended rules for Node.
// That is a change to n8n's default file, so package.json says `"strict": false` (n8n-node lint's
// strict mode accepts only the unmodified default).
import js from '@eslint/js';
import { config as n8nConfig } from '@n8n/node-cli/eslint';
import globals from 'globals';

const NOT_PUBLISHED = ['test/**', 'emulator/**', 'bench/**', 'scripts/**'];

/** Every rule n8n's config adds for community nodes, and its no-console. */
const n8nSpecificRules = [
	...new Set(
		n8nConfig
			.flatMap((entry) => Object.keys(entry.rules ?? {}))
			.filter((rule) => rule.startsWith('@n8n/community-nodes/') || rule.startsWith('n8n-nodes-base/') || rule === 'no-console'),
	),
];

export default [
	...n8nConfig,
	{
		files: NOT_PUBLISHED.map((dir) => `${dir}/*.ts`),
		rules: {
			...Object.fromEntries(n8nSpecificRules.map((rule) => [rule, 'off'])),
			// A closure declared before the value it reads is assigned (a logger, a timer's cancel) needs `let`.
			'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
		},
	},
	{
		files: ['**/*.js', '**/*.mjs'],
		...js.configs.recommended,
		languageOptions: { globals: globals.node },
		rules: {
			...js.configs.recommended.rules,
			// `catch {}` is how these scripts say "best effort" (a process already gone, a file already removed).
			'no-empty': ['error', { allowEmptyCatch: true }],
		},
	},
	{ files: ['gulpfile.js', 'jest.config.js'], languageOptions: { sourceType: 'commonjs' } },
	// Functions passed to Playwright's evaluate() run in the browser.
	{ files: ['scripts/screenshot.mjs'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
];
