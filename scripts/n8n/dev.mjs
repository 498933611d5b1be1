#!/usr/bin/env node
// Runs a real n8n with this repository's built node loaded as a custom extension, for manual testing.
//
//   npm run build && node scripts/n8n/dev.mjs [--ext <dir>] [--fresh] [--no-reload]
//
// - Extension folder: --ext, default <repo>/dist (node type CUSTOM.brightDataScraperStudio).
// - User folder (SQLite DB, settings): ${N8N_CACHE_DIR:-~/.cache/n8n-nodes-brightdata-scraper-studio}/dev-user-folder,
//   kept between runs; --fresh wipes it first.
// - Port: N8N_PORT (default 5678); the task broker uses the next port. Bound to 127.0.0.1 only.
// - Hot reload (N8N_DEV_RELOAD=true) reloads nodes when files in the extension folder change.
// - The owner account is created on first start and printed. Ctrl-C stops n8n.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureN8n } from './install.mjs';
import { DEFAULT_OWNER, login, n8nEnv, setupOwner, startN8n } from './n8n.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (m) => process.stderr.write(`[n8n-dev] ${m}\n`);

function parseArgs(argv) {
  const opts = { ext: path.join(REPO_ROOT, 'dist'), fresh: false, reload: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--ext') opts.ext = path.resolve(argv[++i]);
    else if (a.startsWith('--ext=')) opts.ext = path.resolve(a.slice(6));
    else if (a === '--fresh') opts.fresh = true;
    else if (a === '--no-reload') opts.reload = false;
    else throw new Error(`unknown argument ${a} (usage: dev.mjs [--ext <dir>] [--fresh] [--no-reload])`);
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(opts.ext)) throw new Error(`${opts.ext} does not exist; run \`npm run build\` first`);
  await ensureN8n();
  const userFolder = path.join(cacheRoot(), 'dev-user-folder');
  if (opts.fresh) fs.rmSync(userFolder, { recursive: true, force: true });
  const port = Number(process.env.N8N_PORT ?? 5678);
  const env = n8nEnv({
    userFolder,
    customExtensions: opts.ext,
    port,
    brokerPort: port + 1,
    logLevel: 'info',
    extra: opts.reload ? { N8N_DEV_RELOAD: 'true' } : {},
  });
  log(`starting n8n (extension ${opts.ext}, user folder ${userFolder})`);
  const server = await startN8n(env, { onOutput: (d) => process.stdout.write(d) });
  let stopping = false;
  const stop = async (sig) => {
    if (stopping) return;
    stopping = true;
    log(`${sig}: stopping n8n (pid ${server.pid})`);
    const info = await server.stop();
    log(`n8n exited ${JSON.stringify(info)}`);
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  try {
    await setupOwner(server.url);
    log('owner account created');
  } catch {
    await login(server.url).catch(() => log('owner exists with another password; log in with your own'));
  }
  log(`ready: ${server.url}  (login ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password})`);
  const info = await server.exited;
  if (!stopping) {
    log(`n8n exited on its own ${JSON.stringify(info)}`);
    process.exit(1);
  }
}

main().catch((e) => {
  log(`FAILED: ${e?.stack ?? e}`);
  process.exit(1);
});
