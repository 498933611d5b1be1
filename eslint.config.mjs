// n8n's lint rules for community packages: the new community-nodes plugin (what n8n's
// package scanner runs) plus the classic n8n-nodes-base rules for nodes, credentials and package.json.
import tsParser from '@typescript-eslint/parser';
import jsoncParser from 'jsonc-eslint-parser';
import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const n8nBase = { 'n8n-nodes-base': n8nNodesBase };

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'emulator/**', 'scripts/**', 'bench/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
		...communityNodes.configs.recommended,
		rules: { ...communityNodes.configs.recommended.rules, 'no-console': 'error' },
	},
	{
		files: ['nodes/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These predate n8n-workflow 2 and contradict the community-nodes plugin, which wants NodeConnectionTypes.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		languageOptions: { parser: tsParser },
		plugins: n8nBase,
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Wants a docs.n8n.io slug; community credentials must give a full URL (credential-documentation-url).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: n8nBase,
		rules: n8nNodesBase.configs.community.rules,
	},
];
