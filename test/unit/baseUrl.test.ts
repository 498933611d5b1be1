import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

import { BrightDataScraperStudioApi } from '../../credentials/BrightDataScraperStudioApi.credentials';
import { checkBaseUrl, checkBaseUrlText } from '../../nodes/shared/transport/credential';

describe('the Base URL rule', () => {
	test.each([
		['https://api.brightdata.com', 'https://api.brightdata.com'],
		['https://api.brightdata.com/', 'https://api.brightdata.com'],
		['  https://proxy.example/brightdata//  ', 'https://proxy.example/brightdata'],
		['HTTPS://API.brightdata.com', 'https://api.brightdata.com'],
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
		['http://127.5.0.9', 'http://127.5.0.9'],
		['http://localhost:1234/', 'http://localhost:1234'],
		['http://[::1]:9000', 'http://[::1]:9000'],
		['', 'https://api.brightdata.com'],
	])('%j is accepted as %s', (raw, baseUrl) => {
		expect(checkBaseUrl(raw)).toMatchObject({ ok: true, baseUrl });
	});

	test.each([
		['http://api.brightdata.com', /must use https \(got "http:\/\/api\.brightdata\.com"\)/],
		['http://127.0.0.1.attacker.example', /must use https/],
		['http://localhost.attacker.example', /must use https/],
		['http://10.0.0.5:8787', /must use https/],
		['ftp://api.brightdata.com', /must use https/],
		['https://api.brightdata.com/?token=x', /must not contain a user name, password, query string or fragment/],
		['https://user:pass@api.brightdata.com', /must not contain a user name, password/],
		['https://api.brightdata.com#top', /query string or fragment/],
		['api.brightdata.com', /is not a valid URL/],
		['https://exa mple.com', /is not a valid URL/],
		['https://[nonsense', /is not a valid URL/],
	])('%j is refused', (raw, message) => {
		const checked = checkBaseUrl(raw);
		expect(checked.ok).toBe(false);
		expect(checked.ok ? '' : checked.message).toMatch(message);
	});

	test('a huge Base URL is shown cut short', () => {
		const checked = checkBaseUrlText(`http://${'a'.repeat(1_000_000)}.example`);
		expect(checked.ok ? '' : checked.message.length).toBeLessThan(200);
	});
});

describe("the credential's Test request uses the same rule, inside n8n's expression sandbox", () => {
	const credential = new BrightDataScraperStudioApi();
	const node: INode = { id: 'n', name: 'Temp-Node', type: 'test.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const baseUrlFor = (baseUrl: string) =>
		workflow.expression.getSimpleParameterValue(node, credential.test.request.baseURL!, 'internal', { $credentials: { baseUrl } }, undefined, '');

	test('no redirect is followed, and a rejected token says what to do', () => {
		expect(credential.test.request).toMatchObject({ url: '/dca/collectors_list', disableFollowRedirect: true });
		expect(credential.test.rules).toEqual([
			{ type: 'responseCode', properties: { value: 401, message: expect.stringMatching(/Account Settings → API Tokens/) } },
			{ type: 'responseCode', properties: { value: 403, message: expect.stringMatching(/Account Settings → API Tokens/) } },
		]);
	});

	test.each([
		['https://api.brightdata.com/', 'https://api.brightdata.com'],
		['http://127.0.0.1:8787', 'http://127.0.0.1:8787'],
	])('%j is tested at %s', (raw, expected) => {
		expect(baseUrlFor(raw)).toBe(expected);
	});

	test.each([
		['http://api.brightdata.com', /must use https/],
		['https://api.brightdata.com?x=1', /query string/],
	])('%j gives the Test request no address, so nothing is sent', (raw, message) => {
		// n8n's sandbox swallows the rule's error (the Test button then reports an invalid URL);
		// the nodes show the rule's own words when they run.
		expect(checkBaseUrl(raw)).toMatchObject({ ok: false, message: expect.stringMatching(message) });
		expect(baseUrlFor(raw)).toBeUndefined();
	});
});
