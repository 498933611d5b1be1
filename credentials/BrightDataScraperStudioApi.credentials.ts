import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { TEST_BASE_URL_EXPRESSION } from '../nodes/shared/transport/credential';

const TOKEN_REJECTED =
	'Bright Data rejected the API token. Copy it again from Account Settings → API Tokens in the Bright Data control panel, and check that it has access to Scraper Studio.';

export class BrightDataScraperStudioApi implements ICredentialType {
	name = 'brightDataScraperStudioApi';
	displayName = 'Bright Data Scraper Studio API';
	documentationUrl = 'https://docs.brightdata.com/datasets/scraper-studio/quickstart';
	icon: Icon = { light: 'file:../icons/brightdata.svg', dark: 'file:../icons/brightdata.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'From the Bright Data control panel: Account Settings → API Tokens',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.brightdata.com',
			description:
				'Leave as is. Change it only to reach the API through a proxy of yours (https; http only for 127.0.0.1 and localhost).',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiToken}}' },
		},
	};

	// Cheap and read-only; the nodes' Base URL rule and no redirects keep the token off other hosts.
	test: ICredentialTestRequest = {
		request: {
			baseURL: TEST_BASE_URL_EXPRESSION,
			url: '/dca/collectors_list',
			disableFollowRedirect: true,
		},
		// n8n shows only "Unauthorized" for a 401 unless a rule gives the words.
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: TOKEN_REJECTED } },
			{ type: 'responseCode', properties: { value: 403, message: TOKEN_REJECTED } },
		],
	};
}
