/**
 * What n8n's filesystem binary data store keeps of a file whose stream breaks mid-way, in each
 * tested n8n version (the installs in scripts/n8n/install.mjs' cache). The File output hands n8n
 * such a stream when a dataset download breaks off (datasetFile.ts), and n8n gives nodes no way
 * to delete binary data, so this is n8n's behaviour, pinned here (README, File output and broken
 * downloads): n8n 2.41 writes to a temporary file and removes it; n8n 2.8 writes under the final
 * name and leaves the partial file until the execution's binary data is deleted.
 * Run: node --import tsx --test test/e2e/binaryStore.test.mjs
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { after, test } from 'node:test';

import { installDir, isInstalled, N8N_VERSION, OLDEST_N8N_VERSION } from '../../scripts/n8n/install.mjs';
import { skipUnless } from './prerequisites.mjs';

// n8n-core reads these when it loads.
const userFolder = mkdtempSync(join(tmpdir(), 'n8n-binary-store-'));
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_LOG_LEVEL = 'silent';
after(() => rmSync(userFolder, { recursive: true, force: true }));

const location = { type: 'execution', workflowId: 'wf', executionId: '42' };

/** A dataset file's bytes that break off after 90 KB, as the File output's stream does on a torn download. */
async function* tornFile() {
  yield Buffer.from('[{"a":1},'.repeat(10_000));
  throw new Error('The dataset file was abandoned');
}

/** Every file under `dir`, with its size. */
const filesIn = (dir) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({ path: relative(dir, join(entry.parentPath, entry.name)), bytes: statSync(join(entry.parentPath, entry.name)).size }));

/** Stores a torn stream with that n8n version's BinaryDataService in filesystem mode; the files left, then after the execution's deletion. */
async function storeTorn(version) {
  const load = createRequire(join(installDir(version), 'node_modules', 'n8n', 'package.json'));
  const { Container } = load('@n8n/di');
  const { BinaryDataConfig, BinaryDataService } = load('n8n-core');
  const storage = mkdtempSync(join(tmpdir(), `n8n-${version}-binary-`));
  try {
    Object.assign(Container.get(BinaryDataConfig), { mode: 'filesystem', localStoragePath: storage });
    const service = Container.get(BinaryDataService);
    await service.init();
    const binary = { data: '', mimeType: 'application/json', fileName: 'j_1.json' };
    await assert.rejects(service.store(location, Readable.from(tornFile()), binary), /abandoned/);
    const left = filesIn(storage);
    await service.deleteMany([location]);
    return { left, afterDeletion: filesIn(storage) };
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

test(`n8n ${N8N_VERSION}: nothing is left of a broken stream`, { skip: skipUnless(isInstalled(N8N_VERSION), `n8n ${N8N_VERSION} is not installed (npm run test:e2e installs it)`) }, async () => {
  const { left } = await storeTorn(N8N_VERSION);
  assert.deepEqual(left, []);
});

test(`n8n ${OLDEST_N8N_VERSION}: the partial file stays, without metadata, until the execution's binary data is deleted`, { skip: skipUnless(isInstalled(OLDEST_N8N_VERSION), `n8n ${OLDEST_N8N_VERSION} is not installed (npm run test:e2e installs it)`) }, async () => {
  const { left, afterDeletion } = await storeTorn(OLDEST_N8N_VERSION);
  assert.equal(left.length, 1);
  assert.match(left[0].path, /^workflows\/wf\/executions\/42\/binary_data\/[0-9a-f-]+$/);
  assert.equal(left[0].bytes, 90_000);
  assert.deepEqual(afterDeletion, []);
});
