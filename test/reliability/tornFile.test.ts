/**
 * The File output in n8n's filesystem binary data mode (a regular n8n's default) when the dataset
 * download breaks mid-body, through n8n's engine with n8n-core's real BinaryDataService in a
 * temporary folder. What it establishes (README, File output):
 * - a torn body is fetched again into a new file; after three torn downloads the node fails with an
 *   error that names the snapshot, and outputs nothing;
 * - no partial file is left: n8n-core (2.41) writes a stream to a temporary file beside its final
 *   name and removes it when the stream fails, so each torn attempt's partial file is deleted.
 */
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { timing } from '../../nodes/shared/timing';
import { getDataset, triggerAndWait } from '../harness/params';
import { json, startPeer, type Peer } from '../harness/peer';
import { runScraper, SCRAPER, TEST_TOKEN } from '../harness/workflow';

const SNAPSHOT = 'j_torn';
/** Enough rows that the CSV header (written after 1,000 rows) and many rows reach the file before the tear. */
const ROWS = Array.from({ length: 3000 }, (_, index) => JSON.stringify({ title: `product ${index}`, input: { url: `https://shop.example/product/${index}` } }));
const WHOLE = `[${ROWS.join(',')}]`;

let storage: string;
let api: Peer;

beforeAll(async () => {
	storage = mkdtempSync(join(tmpdir(), 'n8n-binary-data-'));
	Object.assign(Container.get(BinaryDataConfig), { mode: 'filesystem', localStoragePath: storage });
	await Container.get(BinaryDataService).init();
});
afterAll(() => rmSync(storage, { recursive: true, force: true }));
beforeEach(async () => {
	api = await startPeer();
	timing.msPerSecond = 10;
});
afterEach(async () => {
	timing.msPerSecond = 1000;
	await api.close();
	for (const entry of readdirSync(storage)) rmSync(join(storage, entry), { recursive: true, force: true });
});

/** Every file in the binary data folder, with its size. */
const storedFiles = () =>
	readdirSync(storage, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => {
			const path = join(entry.parentPath, entry.name);
			return { path: relative(storage, path), bytes: statSync(path).size };
		});

/** Waits (up to 5 s) until n8n has written some of the download into a file, and returns the folder's files then. */
async function partialFileWritten(): Promise<Array<{ path: string; bytes: number }>> {
	for (const until = Date.now() + 5000; Date.now() < until; await new Promise((resolve) => setTimeout(resolve, 10))) {
		const files = storedFiles();
		if (files.some(({ bytes }) => bytes > 0)) return files;
	}
	return storedFiles();
}

type Tear = 'dropped' | 'cut';

/**
 * A torn dataset answer. "dropped": two thirds of the body, then the connection is destroyed once a
 * partial file is on disk (recorded in `partials`). "cut": a complete answer whose NDJSON body ends
 * in the middle of its last row (the emulator's tornNdjson).
 */
function sendTorn(response: ServerResponse, tear: Tear, partials: Array<Array<{ path: string; bytes: number }>>): void {
	if (tear === 'cut') {
		const body = `${ROWS.join('\n').slice(0, -20)}`;
		response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(body);
		return;
	}
	response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(WHOLE)) });
	response.write(WHOLE.slice(0, Math.floor((WHOLE.length * 2) / 3)));
	void partialFileWritten().then((files) => {
		partials.push(files);
		response.socket?.destroy();
	});
}

/** Bright Data in place: the trigger starts SNAPSHOT; its first `torn` dataset downloads break, later ones are whole. */
function serveDataset(tear: Tear, torn: number): { datasetRequests: () => number; partials: Array<Array<{ path: string; bytes: number }>> } {
	const partials: Array<Array<{ path: string; bytes: number }>> = [];
	let requests = 0;
	api.handle((request, response) => {
		if (request.url?.startsWith('/dca/trigger')) return json(response, 200, { collection_id: SNAPSHOT });
		if (!request.url?.startsWith('/dca/dataset')) return json(response, 404, { error: 'Not found' });
		if (++requests <= torn) return sendTorn(response, tear, partials);
		response.writeHead(200, { 'content-type': 'application/json' }).end(WHOLE);
	});
	return { datasetRequests: () => requests, partials };
}

const OPERATIONS = {
	'Get Dataset': getDataset(SNAPSHOT),
	'Trigger and Wait': triggerAndWait('c_products01'),
};

const run = (operation: keyof typeof OPERATIONS, fileFormat: 'json' | 'csv') =>
	runScraper({ ...OPERATIONS[operation], outputMode: 'file', fileFormat }, [{ url: 'https://shop.example/product/0' }], { baseUrl: api.url, token: TEST_TOKEN });

const CASES = (['Get Dataset', 'Trigger and Wait'] as const).flatMap((operation) =>
	(['json', 'csv'] as const).flatMap((fileFormat) => (['dropped', 'cut'] as const).map((tear) => [operation, fileFormat, tear] as const)),
);

describe('a dataset download that breaks mid-body, Output: File, filesystem binary data', () => {
	test.each(CASES)('%s, %s file, connection %s every time: fails naming the snapshot, outputs nothing, leaves no partial file', async (operation, fileFormat, tear) => {
		const { datasetRequests, partials } = serveDataset(tear, Infinity);

		const result = await run(operation, fileFormat);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Bright Data sent an unreadable dataset for snapshot "${SNAPSHOT}"`);
		expect(result.error?.description).toMatch(/Get Dataset later with this snapshot ID/);
		expect(result.outputOf(SCRAPER)).toEqual([]);
		expect(datasetRequests()).toBe(3);
		// Each dropped download had begun a file (n8n-core's temporary one) before the connection broke…
		expect(partials).toHaveLength(tear === 'dropped' ? 3 : 0);
		for (const files of partials) expect(files).toEqual([{ path: expect.stringMatching(/binary_data\/[^/]+\.tmp\./), bytes: expect.any(Number) }]);
		expect(partials.flat().every(({ bytes }) => bytes > 0)).toBe(true);
		// …and none is left.
		expect(storedFiles()).toEqual([]);
	});

	test.each(['Get Dataset', 'Trigger and Wait'] as const)('%s: a torn download fetched again gives one whole file, and only that file is stored', async (operation) => {
		const { datasetRequests, partials } = serveDataset('dropped', 1);

		const result = await run(operation, 'json');
		const [file] = result.items;

		expect(result.status).toBe('success');
		expect(datasetRequests()).toBe(2);
		expect(partials).toHaveLength(1);
		expect(file.json).toMatchObject({ snapshot_id: SNAPSHOT, count: ROWS.length, format: 'json' });
		const stored = await Container.get(BinaryDataService).getAsBuffer(file.binary!.data);
		expect(stored.toString()).toBe(WHOLE);
		const fileId = file.binary!.data.id!.split(':')[1];
		expect(storedFiles().map(({ path }) => path).sort()).toEqual([fileId, `${fileId}.metadata`]);
	});
});
