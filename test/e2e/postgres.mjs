/**
 * Postgres for the hub (queue-mode) harness: Debian's `postgresql` package, installed here if
 * missing (only in CI or as root, where `apt-get install` works), a fresh cluster in a temp dir
 * (initdb), started on a free loopback port, stopped and removed by the harness. Postgres refuses
 * to run as root, so as root initdb and postgres run as the `postgres` user (`runuser`), in a temp
 * dir that user owns. Queries go through Debian's `psql`. Node built-ins only.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's server binaries (initdb, postgres, pg_ctl) for the newest installed major version. */
export function findPostgresBin() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const majors = readdirSync(base).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const dir = join(base, major, 'bin');
		if (existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'psql'))) return dir;
	}
	return undefined;
}

/**
 * The directory of Debian's Postgres binaries, installing `postgresql` first when it is missing and
 * this is CI (CI=true) or root. Elsewhere it throws with the command to run.
 */
export function ensurePostgres({ log = () => {} } = {}) {
	const found = findPostgresBin();
	if (found) return found;
	const mayInstall = process.env.CI === 'true' || process.getuid?.() === 0;
	if (!mayInstall) {
		throw new Error('Postgres is not installed: run `sudo apt-get update && sudo apt-get install -y postgresql` (the hub test installs it itself only with CI=true or as root)');
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log('postgresql is missing: apt-get update && apt-get install -y postgresql');
	execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
	const installed = findPostgresBin();
	if (!installed) throw new Error('apt-get install postgresql finished but no /usr/lib/postgresql/<version>/bin/postgres exists');
	return installed;
}

const isRoot = () => process.getuid?.() === 0;

/** The uid/gid of the `postgres` user (created by Debian's package). */
function postgresUser() {
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

/** argv to run `bin args…` as the postgres user when root, else as is. */
const asPostgres = (bin, args) => (isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]);

/** Resolves true once a TCP connection to 127.0.0.1:port opens. */
const portOpen = (port) =>
	new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
		socket.on('error', () => resolve(false));
		socket.on('connect', () => (socket.destroy(), resolve(true)));
	});

/**
 * Creates a cluster in a temp dir and starts `postgres` in the foreground (its own process group) on
 * 127.0.0.1:<port>, with a superuser `user`/`password` (scram over TCP; no Unix socket) and a
 * database `database`. Tuned for a throwaway test database (fsync off).
 * @returns {Promise<{ port, pid, user, password, database, dir, output: () => string, query: (sql: string) => string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ bin = findPostgresBin(), port, user = 'n8n', password = 'n8n-hub-test', database = 'n8n', timeoutMs = 60_000, log = () => {} }) {
	if (!bin) throw new Error('Postgres binaries not found (/usr/lib/postgresql/<version>/bin)');
	const dir = mkdtempSync(join(tmpdir(), 'bdss-pg-'));
	const data = join(dir, 'data');
	const pwfile = join(dir, 'pw');
	writeFileSync(pwfile, `${password}\n`);
	if (isRoot()) {
		const { uid, gid } = postgresUser();
		chownSync(dir, uid, gid);
		chownSync(pwfile, uid, gid);
	}
	chmodSync(dir, 0o700);
	let child;
	let exitInfo;
	const removeDir = () => rmSync(dir, { recursive: true, force: true });
	const killOnExit = () => {
		try {
			if (child) process.kill(-child.pid, 'SIGKILL');
		} catch {}
		removeDir();
	};
	process.on('exit', killOnExit);
	let output = '';
	try {
		const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
		const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', timeout: 120_000, cwd: dir });
		if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
		log(`initdb in ${data}`);
		const settings = ['-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200', '-c', 'shared_buffers=128MB'];
		const [cmd, args] = asPostgres(join(bin, 'postgres'), ['-D', data, ...settings]);
		child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, cwd: dir });
		child.stdout.setEncoding('utf8').on('data', (d) => (output = (output + d).slice(-200_000)));
		child.stderr.setEncoding('utf8').on('data', (d) => (output = (output + d).slice(-200_000)));
		const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve((exitInfo = { code, signal }))));
		const env = { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' };
		const psql = (db, sql) => {
			const r = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-v', 'ON_ERROR_STOP=1', '-AXqt', '-c', sql], { encoding: 'utf8', env, timeout: 120_000, maxBuffer: 512 * 1024 * 1024 });
			if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr || r.stdout}`);
			return r.stdout.replace(/\n$/, '');
		};
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			if (exitInfo) throw new Error(`postgres exited early (${JSON.stringify(exitInfo)}): ${output}`);
			if ((await portOpen(port)) && spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres', '-Atc', 'select 1'], { env, encoding: 'utf8' }).stdout.trim() === '1') break;
			if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${timeoutMs} ms: ${output}`);
			await new Promise((r) => setTimeout(r, 200));
		}
		psql('postgres', `CREATE DATABASE ${database}`);
		log(`postgres on 127.0.0.1:${port}, database ${database}`);
		let stopping;
		const stop = () =>
			(stopping ??= (async () => {
				if (!exitInfo) {
					try {
						process.kill(-child.pid, 'SIGINT'); // fast shutdown (the group: runuser and postgres)
					} catch {}
					const timer = setTimeout(() => {
						try {
							process.kill(-child.pid, 'SIGKILL');
						} catch {}
					}, 15_000);
					await exited;
					clearTimeout(timer);
				}
				process.off('exit', killOnExit);
				removeDir();
			})());
		return { port, pid: child.pid, user, password, database, dir, output: () => output, query: (sql) => psql(database, sql), stop, killNow: killOnExit };
	} catch (error) {
		killOnExit();
		process.off('exit', killOnExit);
		throw error;
	}
}
