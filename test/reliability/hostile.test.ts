/**
 * Hostile or broken peers, through n8n's engine: redirects to other hosts, answers that never
 * end, absurd Retry-After headers, endless error bodies, a token echoed in disguise. Each peer
 * is a real HTTP server on 127.0.0.1 that does exactly one bad thing.
 */
import type { ServerResponse } from 'node:http';

import { timing } from '../../nodes/shared/timing';
import { collectorId, getDataset, triggerAndWait } from '../harness/params';
import { json, startPeer, type Peer } from '../harness/peer';
import { runScraper, TEST_TOKEN } from '../harness/workflow';
import { recordN8nLogs } from './helpers';

/** Sends the headers (and `start`), then one byte every few ms for as long as the client listens. */
function trickle(response: ServerResponse, status = 200, start = '['): void {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.write(start);
	const timer = setInterval(() => response.write(' '), 5);
	response.on('close', () => clearInterval(timer));
}

/** An endless body: 64 KB chunks, as long as the client reads. */
function flood(response: ServerResponse, status: number, chunk = 'x'.repeat(64 * 1024)): void {
	response.writeHead(status, { 'content-type': 'text/plain' });
	const write = () => {
		while (response.write(chunk));
	};
	response.on('drain', write);
	write();
}

const product = (name: string) => ({ url: `https://shop.example/product/${name}` });

let api: Peer;
let elsewhere: Peer;
beforeEach(async () => {
	api = await startPeer();
	elsewhere = await startPeer();
	elsewhere.handle((_request, response) => json(response, 200, { collection_id: 'j_stolen' }));
	timing.msPerSecond = 10;
});
afterEach(async () => {
	timing.msPerSecond = 1000;
	await api.close();
	await elsewhere.close();
});

const run = (parameters: Parameters<typeof runScraper>[0], items = [product('a')]) =>
	runScraper(parameters, items, { baseUrl: api.url, token: TEST_TOKEN });

describe('no redirect is followed, so the token never reaches another host', () => {
	test.each([301, 302, 303, 307, 308])('a %i on the trigger to another port is refused and not followed', async (status) => {
		api.handle((_request, response) => response.writeHead(status, { location: `${elsewhere.url}/dca/trigger?collector=c_x` }).end());

		const result = await run(triggerAndWait('c_products01'));

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(new RegExp(`redirected .* \\(${status}\\) to http://127\\.0\\.0\\.1:\\d+/dca/trigger; it was not followed$`));
		expect(elsewhere.seen).toEqual([]);
		expect(api.seen.filter(({ method }) => method === 'POST')).toHaveLength(1);
	});

	test('a redirect of the dataset download to another host is refused', async () => {
		api.handle((_request, response) => response.writeHead(302, { location: `${elsewhere.url}/steal` }).end());

		const result = await run(getDataset('j_abc'));

		expect(result.error?.message).toMatch(/snapshot "?j_abc.* \(302\) to http:.*\/steal; it was not followed/);
		expect(elsewhere.seen).toEqual([]);
	});

	test('a 307 within the same origin is refused too: one request, and the message says where to point the Base URL', async () => {
		api.handle((request, response) => response.writeHead(307, { location: `/moved${request.url}` }).end());

		const result = await run({ operation: 'trigger', collector: collectorId('c_products01') });

		expect(result.error?.message).toMatch(/\(307\) to \/moved\/dca\/trigger; it was not followed$/);
		expect(result.error?.description).toMatch(/enter the new address as the Base URL/);
		expect(api.seen).toHaveLength(1);
	});
});

describe('one deadline rules every request and every wait', () => {
	test('a dataset that trickles a byte at a time ends at the timeout with the On Timeout setting', async () => {
		api.handle((request, response) => {
			if (request.method === 'POST') json(response, 200, { collection_id: 'j_slow' });
			else trickle(response);
		});

		// 300 s at 10 ms a second: 3 s of trickling (enough for the download to start on a busy machine).
		const result = await run(triggerAndWait('c_products01', { options: { timeout: 300, onTimeout: 'output' } }));

		expect(result.status).toBe('success');
		expect(result.items.map(({ json }) => json)).toEqual([expect.objectContaining({ snapshot_id: 'j_slow', timed_out: true })]);
		expect(api.seen.map(({ method }) => method)).toEqual(['POST', 'GET']);
	});

	test('a File output already writing rows ends at the timeout too', async () => {
		api.handle((request, response) => {
			if (request.method === 'POST') json(response, 200, { collection_id: 'j_slowfile' });
			else trickle(response, 200, '[{"id":1},{"id":2},');
		});

		const result = await run(triggerAndWait('c_products01', { outputMode: 'file', fileFormat: 'ndjson', options: { timeout: 300, onTimeout: 'output' } }));

		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ snapshot_id: 'j_slowfile', timed_out: true });
		// No file holds the rows that had arrived (a file item with count 0 and no snapshot stands for "no job ready").
		expect(result.items.filter(({ json }) => json.snapshot_id === 'j_slowfile' && 'count' in json)).toEqual([]);
		expect(api.seen.map(({ method }) => method)).toEqual(['POST', 'GET']);
	});

	test('Get Dataset without a timeout still ends a trickling download at the request limit', async () => {
		const before = timing.streamTimeoutMs;
		timing.streamTimeoutMs = 300;
		try {
			api.handle((_request, response) => trickle(response));
			const result = await run(getDataset('j_slow'));
			// Cut at the limit, the download is fetched again like a torn one, then given up on.
			expect(result.error?.message).toBe('Bright Data sent an unreadable dataset for snapshot "j_slow"');
			expect(result.error?.description).toMatch(/^the download broke off, 3 times/);
			expect(api.seen).toHaveLength(3);
		} finally {
			timing.streamTimeoutMs = before;
		}
	});

	test.each([
		['items', {}],
		['a File', { outputMode: 'file', fileFormat: 'json' }],
	])('Get Dataset into %s ends a body that goes silent after its headers at the request limit, not when the peer closes', async (_name, output) => {
		const before = timing.streamTimeoutMs;
		timing.streamTimeoutMs = 300;
		try {
			// Headers and the first rows, then nothing: the peer holds the connection open for as long as the client does.
			api.handle((_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('[{"id":1},');
			});
			const started = Date.now();
			const result = await run({ ...getDataset('j_silent'), ...output });
			expect(result.error?.message).toBe('Bright Data sent an unreadable dataset for snapshot "j_silent"');
			expect(result.error?.description).toMatch(/^the download broke off, 3 times/);
			expect(api.seen).toHaveLength(3);
			// Three tries of 300 ms and their backoff, far less than a peer's keep-alive or the test's timeout.
			expect(Date.now() - started).toBeLessThan(4000);
		} finally {
			timing.streamTimeoutMs = before;
		}
	});

	test('a trigger answer that goes silent after its headers ends at the request limit, and is not resent', async () => {
		const before = timing.requestTimeoutMs;
		timing.requestTimeoutMs = 300;
		try {
			api.handle((_request, response) => {
				response.writeHead(200, { 'content-type': 'application/json' });
				response.write('{"collection_id":');
			});
			const started = Date.now();
			const result = await run({ operation: 'trigger', collector: collectorId('c_products01') });
			expect(result.error?.message).toMatch(/trigger request for collector "c_products01" failed after it may have reached Bright Data \(ETIMEDOUT\)/);
			expect(api.seen).toHaveLength(1);
			expect(Date.now() - started).toBeLessThan(3000);
		} finally {
			timing.requestTimeoutMs = before;
		}
	});

	test('Get Dataset writing a File ends a trickling download at the request limit and fetches it again', async () => {
		const before = timing.streamTimeoutMs;
		timing.streamTimeoutMs = 300;
		try {
			api.handle((_request, response) => trickle(response, 200, '[{"id":1},'));
			const result = await run({ ...getDataset('j_slow'), outputMode: 'file', fileFormat: 'json' });
			expect(result.error?.message).toBe('Bright Data sent an unreadable dataset for snapshot "j_slow"');
			expect(result.error?.description).toMatch(/^the download broke off, 3 times/);
			expect(api.seen).toHaveLength(3);
		} finally {
			timing.streamTimeoutMs = before;
		}
	});

	test.each([
		['86400 s', '86400'],
		['an HTTP date hours ahead', () => new Date(Date.now() + 3 * 3600_000).toUTCString()],
	])('a 429 with Retry-After of %s follows On Timeout instead of waiting', async (_name, retryAfter) => {
		api.handle((request, response) => {
			if (request.method === 'POST') json(response, 200, { collection_id: 'j_limited' });
			else json(response, 429, { error: 'Too Many Requests' }, { 'retry-after': typeof retryAfter === 'function' ? retryAfter() : retryAfter });
		});

		// An hour: far more than any busy machine needs, far less than Bright Data asks to wait.
		const result = await run(triggerAndWait('c_products01', { options: { timeout: 3600, onTimeout: 'output' } }));

		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({ snapshot_id: 'j_limited', timed_out: true });
		expect(api.seen.filter(({ method }) => method === 'GET')).toHaveLength(1);
	});

	test('without a node timeout, a Retry-After of a day fails at once and says so', async () => {
		api.handle((_request, response) => json(response, 503, { error: 'Maintenance' }, { 'retry-after': '86400' }));

		const result = await run({ resource: 'job', operation: 'get', snapshotId: 'j_abc' });

		expect(result.error?.message).toMatch(/server error \(503\)/);
		expect(result.error?.description).toMatch(/asked to wait 86400 s/);
		expect(api.seen).toHaveLength(1);
	});

	test('Retry-After: 0 still backs off between retries, and each retry is logged at debug level', async () => {
		api.handle((_request, response) => json(response, 503, { error: 'busy' }, { 'retry-after': '0' }));

		const logs = recordN8nLogs();
		try {
			await run({ resource: 'job', operation: 'get', snapshotId: 'j_abc' });
		} finally {
			logs.restore();
		}

		const retries = logs.records.filter(({ level, message }) => level === 'debug' && String(message).includes('retrying in'));
		expect(retries.map(({ message }) => String(message).replace(/retrying in [\d.]+ s/, 'retrying in N s'))).toEqual(
			[1, 2, 3, 4].map((attempt) => `Bright Data: GET /dca/log/j_abc for snapshot "j_abc" answered 503, attempt ${attempt} of 5; retrying in N s`),
		);
		expect(JSON.stringify(logs.records)).not.toContain(TEST_TOKEN);
		const gaps = api.seen.slice(1).map(({ at }, index) => at - api.seen[index].at);
		expect(gaps).toHaveLength(4);
		// The first backoff is at least half a (scaled) second.
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(0.5 * timing.msPerSecond - 1);
	});
});

describe('bounded work on every body', () => {
	test('an endless 500 body is read only as far as the message needs', async () => {
		api.handle((_request, response) => flood(response, 500));

		const result = await run({ resource: 'job', operation: 'get', snapshotId: 'j_abc' });

		expect(result.error?.message).toMatch(/server error \(500\)/);
		expect((result.error?.description ?? '').length).toBeLessThan(1000);
	});

	test('an endless 200 JSON answer is refused with a clear error', async () => {
		api.handle((_request, response) => flood(response, 200));

		const result = await run({ resource: 'job', operation: 'get', snapshotId: 'j_abc' });

		expect(result.error?.message).toBe('Bright Data\'s answer about snapshot "j_abc" is larger than 32 MB');
	});
});

describe('redaction after decoding', () => {
	const escaped = [...TEST_TOKEN].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
	test.each([
		['JSON \\u escapes', `{"error":"bad token ${escaped}"}`],
		['URL encoding', `bad token ${[...TEST_TOKEN].map((char) => `%${char.charCodeAt(0).toString(16)}`).join('')}`],
		['base64', `bad token ${Buffer.from(TEST_TOKEN).toString('base64')}`],
		['plain text', `bad token ${TEST_TOKEN}`],
	])('a token echoed with %s never reaches the error', async (_name, body) => {
		api.handle((_request, response) => response.writeHead(400, { 'content-type': 'text/plain' }).end(body));

		const result = await run({ resource: 'job', operation: 'get', snapshotId: 'j_abc' });

		const shown = JSON.stringify({ message: result.error?.message, description: result.error?.description, context: result.error?.context });
		expect(shown).toContain('bad token [redacted]');
		expect(shown).not.toContain(TEST_TOKEN);
	});
});

describe('inputs that reach no request', () => {
	test.each(['toString', 'constructor', '__proto__'])('Selected Fields does not read the inherited "%s"', async (field) => {
		const result = await run({ operation: 'trigger', collector: collectorId('c_products01'), fieldsToSend: 'selected', inputFields: field });

		expect(result.error?.message).toBe(`Item 0 has none of the fields ${field}`);
		expect(api.seen).toEqual([]);
	});

	test('a 1 MB collector ID gives a short error', async () => {
		const result = await run({ operation: 'trigger', collector: collectorId(`c_${'x'.repeat(1024 * 1024)}!`) });

		expect(result.error?.message).toMatch(/^"c_x{78}…" is not a collector ID$/);
		expect(api.seen).toEqual([]);
	});
});
