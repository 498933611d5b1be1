// Small library to drive a real n8n (installed by ./install.mjs) from e2e tests and dev scripts.
// Plain ESM, Node built-ins only; runs under the machine's Node 20, spawns n8n under Node 24.
//
//   import { ensureN8n } from './install.mjs';
//   import { n8nEnv, importCredentials, importWorkflow, executeWorkflow, startN8n, setupOwner } from './n8n.mjs';
//
// Every process started here is stopped: CLI commands are awaited (and killed on timeout),
// servers are stopped by stop() and, as a last resort, when the calling process exits.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { installDir, installPaths, N8N_VERSION } from './install.mjs';

/** Fixed key so credentials imported in one command decrypt in the next. Tests only. */
export const TEST_ENCRYPTION_KEY = 'e2e-test-encryption-key-not-secret-0000';

export const DEFAULT_OWNER = Object.freeze({
  email: 'owner@example.com',
  firstName: 'E2E',
  lastName: 'Owner',
  password: 'E2e-Test-Password-1', // n8n: 8-64 chars, a number and an uppercase letter
});

/** Inherited variables dropped so the caller's shell cannot change what n8n does. */
const INHERITED_PREFIXES_DROPPED = ['N8N_', 'DB_', 'QUEUE_', 'EXECUTIONS_', 'GENERIC_', 'WEBHOOK_', 'NODE_FUNCTION_'];
const INHERITED_DROPPED = ['NODE_OPTIONS', 'NODE_ENV', 'WEBHOOK_URL', 'VUE_APP_URL_BASE_API', 'OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS'];

/** Paths of the pinned install (does not install; call ensureN8n() from install.mjs first). */
export function n8nPaths(version = N8N_VERSION) {
  return installPaths(installDir(version));
}

/** Which install an env from n8nEnv() runs (n8n ignores the variable). */
const VERSION_VARIABLE = 'E2E_N8N_VERSION';

function installedPaths(env) {
  const version = env[VERSION_VARIABLE] ?? N8N_VERSION;
  const p = n8nPaths(version);
  if (!fs.existsSync(p.nodeBin) || !fs.existsSync(p.n8nBin)) {
    throw new Error(`n8n ${version} is not installed in ${p.dir}: run \`node scripts/n8n/install.mjs --n8n=${version}\` or await ensureN8n({ version })`);
  }
  return p;
}

/** A free TCP port on 127.0.0.1 (asks the OS). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The environment for running n8n.
 * @param {{ userFolder: string, customExtensions?: string | string[], port?: number, brokerPort?: number,
 *   logLevel?: 'error'|'warn'|'info'|'debug'|'silent', encryptionKey?: string, version?: string,
 *   extra?: Record<string, string> }} opts
 */
export function n8nEnv({
  userFolder,
  customExtensions,
  port = 5678,
  brokerPort,
  logLevel = 'warn',
  encryptionKey = TEST_ENCRYPTION_KEY,
  version = N8N_VERSION,
  extra = {},
}) {
  if (!userFolder) throw new Error('n8nEnv: userFolder is required');
  userFolder = path.resolve(userFolder);
  const tmp = path.join(userFolder, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const { nodeBinDir } = n8nPaths(version);
  const ext = [customExtensions ?? []].flat().filter(Boolean).map((d) => path.resolve(d));

  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (INHERITED_DROPPED.includes(k) || INHERITED_PREFIXES_DROPPED.some((p) => k.startsWith(p))) continue;
    env[k] = v;
  }
  Object.assign(env, {
    PATH: `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`,
    TMPDIR: tmp,
    TZ: 'UTC',
    GENERIC_TIMEZONE: 'UTC',
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: encryptionKey,
    N8N_LOG_LEVEL: logLevel,
    N8N_LOG_OUTPUT: 'console',
    // Network: bind 127.0.0.1 only.
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PORT: String(port),
    N8N_PROTOCOL: 'http',
    N8N_WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
    N8N_SECURE_COOKIE: 'false',
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort ?? port + 1),
    // Nothing that phones home (no network here anyway; avoids DNS errors and delays).
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
    N8N_AI_ENABLED: 'false',
    // Quiet, deterministic local storage.
    DB_TYPE: 'sqlite',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
    N8N_RUNNERS_INSECURE_MODE: 'false',
    EXECUTIONS_MODE: 'regular',
    [VERSION_VARIABLE]: version,
  });
  // 2.41 refreshes an MCP server list from api.n8n.io at startup (logs ENOTFOUND offline). Versions
  // without that module (2.8) refuse to start when it is named ('Unknown module "mcp-registry"').
  if (fs.existsSync(path.join(n8nPaths(version).n8nDir, 'dist', 'modules', 'mcp-registry'))) {
    env.N8N_DISABLED_MODULES = 'mcp-registry';
  }
  if (ext.length) env.N8N_CUSTOM_EXTENSIONS = linkExtensions(userFolder, ext);
  return Object.assign(env, extra);
}

/**
 * n8n 2.41 keeps only ONE custom-directory loader (`loaders.CUSTOM`): with N8N_CUSTOM_EXTENSIONS="a;b" only b's
 * nodes and credentials load, and the default <userFolder>/.n8n/custom is dropped too. Hot reload
 * (N8N_DEV_RELOAD) of that loader also expects a node_modules/ folder in it. So every requested folder is
 * symlinked as <userFolder>/custom-extensions/node_modules/<i>-<name> and n8n gets that single folder
 * (its glob follows symlinks; `require` resolves them, so modules load from their real paths).
 */
function linkExtensions(userFolder, dirs) {
  const root = path.join(userFolder, 'custom-extensions');
  const nm = path.join(root, 'node_modules');
  fs.rmSync(nm, { recursive: true, force: true }); // removes the links only, never their targets
  fs.mkdirSync(nm, { recursive: true });
  dirs.forEach((dir, i) => {
    if (!fs.existsSync(dir)) throw new Error(`custom extension folder ${dir} does not exist`);
    fs.symlinkSync(dir, path.join(nm, `${i}-${path.basename(dir).replace(/[^\w.-]/g, '_')}`), 'dir');
  });
  return root;
}

function tail(s, n = 40) {
  return s.split('\n').slice(-n).join('\n');
}

/** Kill the process group of a detached child (ignore if gone). */
function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {}
}

const liveGroups = new Set();
let exitHookInstalled = false;
function trackGroup(pid) {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave n8n (or its task runner) behind when the caller exits.
  process.on('exit', () => {
    for (const g of liveGroups) killGroup(g, 'SIGKILL');
  });
  // The children run in their own process groups, so a terminal's Ctrl-C does not reach them. When the
  // caller has no handler of its own for a signal (default: die, without 'exit' handlers), pass SIGTERM on
  // to every live group (n8n shuts down cleanly) and then die of the same signal as before.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    if (process.listenerCount(sig) > 0) continue;
    process.once(sig, () => {
      for (const g of liveGroups) killGroup(g, 'SIGTERM');
      process.kill(process.pid, sig);
    });
  }
}

/**
 * Runs `n8n <args>` under Node 24. Never rejects for a non-zero exit.
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env  from n8nEnv()
 * @param {{ timeoutMs?: number }} [opts]  default 180 s; the process group is SIGKILLed on timeout
 * @returns {Promise<{ code: number|null, signal: string|null, stdout: string, stderr: string, ms: number, timedOut: boolean }>}
 */
export function runCli(args, env, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const { nodeBin, n8nBin } = installedPaths(env);
    const t0 = Date.now();
    const child = spawn(nodeBin, [n8nBin, ...args], {
      env,
      cwd: env.N8N_USER_FOLDER,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout also ends its task runner
    });
    trackGroup(child.pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      liveGroups.delete(child.pid);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid, 'SIGKILL'); // anything the command left in its group
      liveGroups.delete(child.pid);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

async function runCliOk(args, env, opts) {
  const r = await runCli(args, env, opts);
  if (r.code !== 0) {
    throw new Error(`n8n ${args.join(' ')} failed (code ${r.code}${r.timedOut ? ', timed out' : ''}):\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  }
  return r;
}

function writeTemp(env, prefix, data) {
  const dir = env.TMPDIR ?? env.N8N_USER_FOLDER;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${prefix}-${process.pid}-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}

/** An id in n8n's style (16 alphanumerics). */
export function newId() {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(crypto.randomBytes(16), (b) => abc[b % abc.length]).join('');
}

/**
 * Imports credentials (plaintext `data`; n8n encrypts them with N8N_ENCRYPTION_KEY).
 * @param {Array<{ id?: string, name: string, type: string, data: object }> | object} list
 * @returns {Promise<string[]>} the credential ids (generated where missing)
 */
export async function importCredentials(list, env) {
  const creds = [list].flat().map((c) => ({ id: c.id ?? newId(), ...c }));
  const file = writeTemp(env, 'credentials', creds);
  try {
    await runCliOk(['import:credentials', `--input=${file}`], env);
  } finally {
    fs.rmSync(file, { force: true });
  }
  return creds.map((c) => c.id);
}

/**
 * Imports one workflow (exported workflow JSON; `id` generated if missing).
 * @returns {Promise<string>} the workflow id
 */
export async function importWorkflow(json, env) {
  const wf = { active: false, connections: {}, settings: { executionOrder: 'v1' }, ...json };
  wf.id ??= newId();
  const file = writeTemp(env, 'workflow', wf);
  try {
    await runCliOk(['import:workflow', `--input=${file}`], env);
  } finally {
    fs.rmSync(file, { force: true });
  }
  return wf.id;
}

/**
 * Publishes (activates) a workflow: `n8n publish:workflow --id=<id>`. A running server picks it up only
 * after a restart; readiness turns 200 before active workflows register, so retry webhook calls briefly.
 */
export async function publishWorkflow(id, env) {
  await runCliOk(['publish:workflow', `--id=${id}`], env);
}

/**
 * `--rawOutput` prints the run as pretty JSON (JSON.stringify(run, null, 2)), but stdout also carries log
 * lines before it (task broker, Python runner, license SDK) and, for a failed run, error lines after it.
 * The JSON starts at the first line that is exactly `{` and ends at the next line that is exactly `}`
 * (inner lines are indented).
 * @returns {object | undefined}
 */
export function parseRawOutput(stdout) {
  const lines = stdout.split(/\r?\n/);
  const start = lines.indexOf('{');
  if (start < 0) return undefined;
  const end = lines.indexOf('}', start);
  if (end < 0) return undefined;
  try {
    return JSON.parse(lines.slice(start, end + 1).join('\n'));
  } catch {
    return undefined;
  }
}

/** json of every item of output `outputIndex` of the last run of each node: { [nodeName]: object[] }. */
export function nodeOutputs(run, outputIndex = 0) {
  const runData = run?.data?.resultData?.runData ?? {};
  const out = {};
  for (const [name, runs] of Object.entries(runData)) {
    const last = runs[runs.length - 1];
    out[name] = (last?.data?.main?.[outputIndex] ?? []).map((item) => item.json);
  }
  return out;
}

function cliErrorMessage(stdout, stderr) {
  // Without run JSON (e.g. unknown workflow id, crash at startup) use the last meaningful line.
  const lines = `${stdout}\n${stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const i = lines.lastIndexOf('====================================');
  if (i >= 0 && lines[i + 1]) return lines[i + 1];
  const hint = lines.filter((l) => !/^at |^Error$/.test(l) && !l.startsWith('n8n Task Broker ready') && !l.startsWith('Failed to start Python') && !l.startsWith('[license SDK]') && !l.startsWith('Legacy aes-256-cbc'));
  return hint[hint.length - 1] ?? 'n8n execute failed without output';
}

/**
 * Shapes a `runCli(['execute', …, '--rawOutput'])` result. See README.md ("executeWorkflow result").
 */
export function shapeExecuteResult(r) {
  const data = parseRawOutput(r.stdout);
  const resultData = data?.data?.resultData;
  const status = data?.status;
  const lastNode = resultData?.lastNodeExecuted;
  const output = nodeOutputs(data);
  const ok = r.code === 0 && status === 'success' && !resultData?.error;
  let error;
  if (!ok) {
    const e = resultData?.error;
    if (e) {
      error = {
        message: e.message,
        description: e.description ?? undefined,
        node: e.node?.name ?? lastNode,
        name: e.name,
        httpCode: e.httpCode,
        itemIndex: e.context?.itemIndex,
        raw: e,
      };
    } else {
      error = {
        message: r.timedOut ? 'n8n execute timed out' : cliErrorMessage(r.stdout, r.stderr),
        node: lastNode,
      };
    }
  }
  return {
    ok,
    status,
    lastNode,
    output,
    lastNodeOutput: lastNode ? output[lastNode] : undefined,
    error,
    data,
    code: r.code,
    stdout: r.stdout,
    stderr: r.stderr,
    ms: r.ms,
  };
}

/**
 * Runs `n8n execute --id=<id> --rawOutput` and shapes the result (never rejects for a failed run).
 * The run JSON is logged at level "info", so this forces N8N_LOG_LEVEL=info for the command.
 * @param {string} id
 * @param {NodeJS.ProcessEnv} env  from n8nEnv()
 * @param {{ timeoutMs?: number }} [opts]
 */
export async function executeWorkflow(id, env, opts) {
  const r = await runCli(['execute', `--id=${id}`, '--rawOutput'], { ...env, N8N_LOG_LEVEL: 'info' }, opts);
  return shapeExecuteResult(r);
}

/**
 * Spawns `n8n <args>` directly under Node 24 in its own process group (so its task runner goes
 * with it) and waits until `readinessUrl` answers 200.
 * @returns {Promise<{ pid: number, output: () => string, exited: Promise<{code, signal}>, stop: (graceMs?: number) => Promise<{code, signal}> }>}
 */
async function spawnN8n(env, args, { readinessUrl, timeoutMs = 90_000, onOutput } = {}) {
  const { nodeBin, n8nBin } = installedPaths(env);
  const label = `n8n ${args[0]}`;
  const child = spawn(nodeBin, [n8nBin, ...args], {
    env,
    cwd: env.N8N_USER_FOLDER,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackGroup(child.pid);
  let output = '';
  const onData = (d) => {
    output += d;
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    onOutput?.(d);
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  let exitInfo;
  const exited = new Promise((resolve) => {
    child.on('close', (code, signal) => {
      exitInfo = { code, signal };
      killGroup(child.pid, 'SIGKILL'); // the task runner, if n8n left it
      liveGroups.delete(child.pid);
      resolve(exitInfo);
    });
  });
  child.on('error', (e) => {
    exitInfo ??= { code: null, signal: null, error: e };
  });

  let stopping;
  const stop = (graceMs = 15_000) => {
    if (exitInfo) return Promise.resolve(exitInfo);
    stopping ??= (async () => {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
      const info = await exited;
      clearTimeout(timer);
      return info;
    })();
    return stopping;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitInfo) {
      throw new Error(`${label} exited early (${JSON.stringify(exitInfo)}):\n${tail(output)}`);
    }
    try {
      const res = await fetch(readinessUrl, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${label} not ready after ${timeoutMs} ms:\n${tail(output)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { pid: child.pid, output: () => output, exited, stop };
}

/**
 * Starts `n8n start` and waits for /healthz/readiness.
 * @param {NodeJS.ProcessEnv} env  from n8nEnv()
 * @param {{ timeoutMs?: number, onOutput?: (chunk: string) => void }} [opts]
 * @returns {Promise<{ url: string, pid: number, output: () => string, exited: Promise<{code, signal}>, stop: () => Promise<{code, signal}> }>}
 */
export async function startN8n(env, { timeoutMs = 90_000, onOutput } = {}) {
  const url = `http://127.0.0.1:${env.N8N_PORT}`;
  const server = await spawnN8n(env, ['start'], { readinessUrl: `${url}/healthz/readiness`, timeoutMs, onOutput });
  return { url, ...server };
}

/**
 * Starts `n8n worker --concurrency=<n>` (queue mode) and waits for its health server's readiness
 * (the env must set QUEUE_HEALTH_CHECK_ACTIVE and QUEUE_HEALTH_CHECK_PORT).
 */
export async function startWorker(env, { concurrency = 1, timeoutMs = 90_000 } = {}) {
  const readinessUrl = `http://127.0.0.1:${env.QUEUE_HEALTH_CHECK_PORT}/healthz/readiness`;
  return await spawnN8n(env, ['worker', `--concurrency=${concurrency}`], { readinessUrl, timeoutMs });
}

/**
 * Starts `n8n webhook` (queue mode's webhook process: production and waiting webhooks only) and waits
 * for its /healthz/readiness on N8N_PORT.
 */
export async function startWebhookProcess(env, { timeoutMs = 90_000, onOutput } = {}) {
  const url = `http://127.0.0.1:${env.N8N_PORT}`;
  const server = await spawnN8n(env, ['webhook'], { readinessUrl: `${url}/healthz/readiness`, timeoutMs, onOutput });
  return { url, ...server };
}

function cookieFrom(res) {
  const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  const auth = list.filter(Boolean).map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
  if (!auth) throw new Error(`no n8n-auth cookie in response (${res.status})`);
  return auth;
}

/**
 * Creates the instance owner (first run of a fresh user folder). Returns the auth cookie ("n8n-auth=…").
 * @param {string} url  e.g. from startN8n()
 * @param {{ email?: string, password?: string, firstName?: string, lastName?: string }} [owner]
 */
export async function setupOwner(url, owner = {}) {
  const body = { ...DEFAULT_OWNER, ...owner };
  const res = await fetch(`${url}/rest/owner/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST /rest/owner/setup: ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}

/** Logs in an existing user (e.g. the owner after a restart). Returns the auth cookie. */
export async function login(url, { email = DEFAULT_OWNER.email, password = DEFAULT_OWNER.password } = {}) {
  const res = await fetch(`${url}/rest/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ emailOrLdapLoginId: email, password }),
  });
  if (!res.ok) throw new Error(`POST /rest/login: ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}

/** GET/POST JSON against the running instance with the auth cookie. Throws on non-2xx. */
export async function fetchJson(url, pathname, { cookie, method = 'GET', body } = {}) {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}
