#!/usr/bin/env node
// End-to-end proof that the n8n tooling works on this machine, independent of the repo's dist/:
//   1. ensure the cached n8n install (install.mjs)
//   2. write a throwaway custom extension (one node + one credential, hand-written .js) to a temp dir
//   3. import a credential and two one-node workflows (Manual Trigger -> custom node; one succeeds, one fails)
//   4. `n8n execute --id --rawOutput` both and check the shapes from executeWorkflow()
//   5. `n8n start`, readiness, owner setup, /types/nodes.json + /types/credentials.json list the custom types, stop
// Prints timings; exits non-zero on the first failed check. Temp dirs are removed unless KEEP_TMP=1.
//
//   node scripts/n8n/selfcheck.mjs

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureN8n } from './install.mjs';
import {
  executeWorkflow,
  fetchJson,
  freePort,
  importCredentials,
  importWorkflow,
  login,
  n8nEnv,
  setupOwner,
  startN8n,
} from './n8n.mjs';

const log = (m) => process.stderr.write(`[selfcheck] ${m}\n`);
const timings = {};
async function timed(name, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = Math.round((Date.now() - t0) / 100) / 10;
    log(`${name}: ${timings[name]} s`);
  }
}

const NODE_JS = `'use strict';
// Throwaway node for scripts/n8n/selfcheck.mjs, loaded as a custom extension from a temp dir.
// 'n8n-workflow' is not installed next to it: n8n appends its own module paths to NODE_PATH,
// so this resolves to the host's copy (as it does for a real community package).
const { NodeOperationError } = require('n8n-workflow');
class SelfcheckDemo {
  constructor() {
    this.description = {
      displayName: 'Selfcheck Demo',
      name: 'selfcheckDemo',
      group: ['transform'],
      version: 1,
      description: 'Echoes a greeting and facts about its credential',
      defaults: { name: 'Selfcheck Demo' },
      inputs: ['main'],
      outputs: ['main'],
      credentials: [{ name: 'selfcheckDemoApi', required: true }],
      properties: [
        {
          displayName: 'Mode',
          name: 'mode',
          type: 'options',
          options: [
            { name: 'Fail', value: 'fail' },
            { name: 'Succeed', value: 'succeed' },
          ],
          default: 'succeed',
        },
        { displayName: 'Greeting', name: 'greeting', type: 'string', default: 'hello' },
      ],
    };
  }
  async execute() {
    const items = this.getInputData();
    const creds = await this.getCredentials('selfcheckDemoApi');
    const out = [];
    for (let i = 0; i < items.length; i++) {
      if (this.getNodeParameter('mode', i) === 'fail') {
        throw new NodeOperationError(this.getNode(), 'Selfcheck failure requested', {
          itemIndex: i,
          description: 'The Mode parameter is Fail',
        });
      }
      out.push({
        json: {
          greeting: this.getNodeParameter('greeting', i),
          tokenLength: String(creds.apiToken).length,
          baseUrl: creds.baseUrl,
          index: i,
        },
        pairedItem: { item: i },
      });
    }
    return [out];
  }
}
module.exports = { SelfcheckDemo };
`;

const CRED_JS = `'use strict';
class SelfcheckDemoApi {
  constructor() {
    this.name = 'selfcheckDemoApi';
    this.displayName = 'Selfcheck Demo API';
    this.documentationUrl = 'https://example.com/docs';
    this.properties = [
      { displayName: 'API Token', name: 'apiToken', type: 'string', typeOptions: { password: true }, required: true, default: '' },
      { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: 'http://127.0.0.1:9' },
    ];
  }
}
module.exports = { SelfcheckDemoApi };
`;

function workflow(name, mode, credId) {
  return {
    name,
    nodes: [
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000001',
        name: 'Manual Trigger',
        type: 'n8n-nodes-base.manualTrigger',
        typeVersion: 1,
        position: [0, 0],
        parameters: {},
      },
      {
        id: 'a1b2c3d4-0000-4000-8000-000000000002',
        name: 'Demo',
        type: 'CUSTOM.selfcheckDemo',
        typeVersion: 1,
        position: [220, 0],
        parameters: { mode, greeting: 'hi from selfcheck' },
        credentials: { selfcheckDemoApi: { id: credId, name: 'Selfcheck credential' } },
      },
    ],
    connections: { 'Manual Trigger': { main: [[{ node: 'Demo', type: 'main', index: 0 }]] } },
    settings: { executionOrder: 'v1' },
  };
}

async function main() {
  const inst = await timed('install (ensure)', () => ensureN8n());
  log(`n8n ${inst.version}: ${inst.n8nBin} (node ${inst.nodeBin}, reused=${inst.reused})`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-selfcheck-'));
  // Node and credential in two folders: n8n 2.41 itself would load only the last custom folder;
  // n8nEnv() links both into one (this proves it).
  const nodeDir = path.join(tmp, 'ext-node');
  const credDir = path.join(tmp, 'ext-cred');
  fs.mkdirSync(path.join(nodeDir, 'nodes'), { recursive: true });
  fs.mkdirSync(path.join(credDir, 'credentials'), { recursive: true });
  fs.writeFileSync(path.join(nodeDir, 'nodes', 'SelfcheckDemo.node.js'), NODE_JS);
  fs.writeFileSync(path.join(credDir, 'credentials', 'SelfcheckDemoApi.credentials.js'), CRED_JS);

  let server;
  try {
    const [port, brokerPort, execBrokerPort] = [await freePort(), await freePort(), await freePort()];
    const env = n8nEnv({
      userFolder: path.join(tmp, 'user'),
      customExtensions: [nodeDir, credDir],
      port,
      brokerPort: execBrokerPort,
    });

    const [credId] = await timed('import:credentials', () =>
      importCredentials(
        [{ name: 'Selfcheck credential', type: 'selfcheckDemoApi', data: { apiToken: 'secret-token-123', baseUrl: 'http://127.0.0.1:1' } }],
        env,
      ),
    );
    const okId = await timed('import:workflow', () => importWorkflow(workflow('Selfcheck OK', 'succeed', credId), env));
    const failId = await importWorkflow(workflow('Selfcheck FAIL', 'fail', credId), env);

    const ok = await timed('execute (success)', () => executeWorkflow(okId, env));
    if (process.env.SELFCHECK_DUMP) fs.writeFileSync(path.join(process.env.SELFCHECK_DUMP, 'execute-ok.json'), JSON.stringify(ok, null, 2));
    assert.equal(ok.ok, true, `success run not ok: ${JSON.stringify(ok.error)}\n${ok.stderr}`);
    assert.deepEqual(ok.output.Demo, [
      { greeting: 'hi from selfcheck', tokenLength: 16, baseUrl: 'http://127.0.0.1:1', index: 0 },
    ]);
    assert.deepEqual(ok.lastNodeOutput, ok.output.Demo);
    log(`execute ok: ${JSON.stringify(ok.output.Demo)}`);

    const bad = await timed('execute (failure)', () => executeWorkflow(failId, env));
    if (process.env.SELFCHECK_DUMP) fs.writeFileSync(path.join(process.env.SELFCHECK_DUMP, 'execute-fail.json'), JSON.stringify(bad, null, 2));
    assert.equal(bad.ok, false);
    assert.ok(bad.error, 'failure run has no error');
    assert.equal(bad.status, 'error');
    assert.equal(bad.error.message, 'Selfcheck failure requested');
    assert.equal(bad.error.description, 'The Mode parameter is Fail');
    assert.equal(bad.error.node, 'Demo');
    assert.equal(bad.error.itemIndex, 0);
    assert.deepEqual(bad.output['Manual Trigger'], [{}]);
    log(`execute failure: ${JSON.stringify({ ...bad.error, raw: undefined })}`);

    // Unknown workflow id: no run JSON at all.
    const missing = await executeWorkflow('doesNotExist0000', env);
    assert.equal(missing.ok, false);
    assert.equal(missing.data, undefined);
    assert.match(missing.error.message, /does not exist/);

    // The server (its own broker port; `execute` used another one).
    const senv = { ...env, N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
    server = await timed('start -> ready', () => startN8n(senv));
    log(`n8n ready at ${server.url} (pid ${server.pid})`);
    const health = await fetchJson(server.url, '/healthz/readiness');
    assert.deepEqual(health, { status: 'ok' });
    const cookie = await setupOwner(server.url);
    const nodes = await fetchJson(server.url, '/types/nodes.json', { cookie });
    const names = nodes.map((n) => n.name);
    assert.ok(names.includes('CUSTOM.selfcheckDemo'), 'CUSTOM.selfcheckDemo missing from /types/nodes.json');
    assert.ok(names.includes('n8n-nodes-base.manualTrigger'));
    const creds = await fetchJson(server.url, '/types/credentials.json', { cookie });
    assert.ok(creds.some((c) => c.name === 'selfcheckDemoApi'), 'selfcheckDemoApi missing from /types/credentials.json');
    log(`/types/nodes.json: ${names.length} node types incl. CUSTOM.selfcheckDemo; credential type listed`);
    const pid = server.pid;
    const stopped = await timed('stop', () => server.stop());
    server = undefined;
    log(`n8n stopped: ${JSON.stringify(stopped)}`);
    assert.equal(stopped.code, 0, 'n8n did not exit cleanly on SIGTERM');
    // n8n and its task runner shared a process group; nothing may be left in it.
    assert.throws(() => process.kill(-pid, 0), { code: 'ESRCH' }, `process group ${pid} still has members`);
    // Restart on the same user folder (DB migrated, owner exists): log in instead of setup.
    server = await timed('restart -> ready', () => startN8n(senv));
    const cookie2 = await login(server.url);
    const again = await fetchJson(server.url, '/types/nodes.json', { cookie: cookie2 });
    assert.ok(again.some((n) => n.name === 'CUSTOM.selfcheckDemo'));
    await server.stop();
    server = undefined;
    // Nothing still listening on our ports.
    for (const p of [port, brokerPort]) {
      await assert.rejects(fetch(`http://127.0.0.1:${p}/`, { signal: AbortSignal.timeout(1000) }), `port ${p} still open`);
    }
  } finally {
    if (server) await server.stop();
    if (process.env.KEEP_TMP === '1') log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ ok: true, version: inst.version, reused: inst.reused, timings })}\n`);
  log('ALL CHECKS PASSED');
}

main().catch((e) => {
  log(`FAILED: ${e?.stack ?? e}`);
  process.exit(1);
});
