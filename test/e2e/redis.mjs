/**
 * Redis for the queue-mode end-to-end test: Debian's redis-server, installed here if missing
 * (only in CI or as root, where `apt-get install` works), started on a free loopback port with
 * no persistence, and stopped by the test. Node built-ins only.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import net from 'node:net';

/** The path of redis-server, or undefined. */
export function findRedisServer() {
	const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	const path = r.stdout.trim();
	return r.status === 0 && path ? path : undefined;
}

/**
 * The path of redis-server, installing Debian's package first when it is missing and this is CI
 * (CI=true) or root. Elsewhere it throws with the command to run.
 */
export function ensureRedisServer({ log = () => {} } = {}) {
	const found = findRedisServer();
	if (found) return found;
	const mayInstall = process.env.CI === 'true' || process.getuid?.() === 0;
	if (!mayInstall) {
		throw new Error('redis-server is not installed: run `sudo apt-get update && sudo apt-get install -y redis-server` (the test installs it itself only with CI=true or as root)');
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	log('redis-server is missing: apt-get update && apt-get install -y redis-server');
	execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 });
	execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
		env,
		stdio: ['ignore', 'ignore', 'inherit'],
		timeout: 300_000,
	});
	const installed = findRedisServer();
	if (!installed) throw new Error('apt-get install redis-server finished but redis-server is still not on PATH');
	return installed;
}

/** Sends PING on a fresh connection; resolves true on +PONG. */
function ping(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/**
 * Starts redis-server on 127.0.0.1:<port> in the foreground (its own process group), without RDB
 * snapshots or AOF, and waits until it answers PING.
 * @returns {Promise<{ port: number, pid: number, output: () => string, stop: () => Promise<{ code, signal }> }>}
 */
export async function startRedis({ bin = findRedisServer(), port, timeoutMs = 15_000 }) {
	if (!bin) throw new Error('redis-server not found');
	const child = spawn(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'],
		{ stdio: ['ignore', 'pipe', 'pipe'], detached: true },
	);
	let output = '';
	child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
	child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
	let exitInfo;
	const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve((exitInfo = { code, signal }))));
	const killOnExit = () => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {}
	};
	process.on('exit', killOnExit);
	const stop = async () => {
		if (!exitInfo) {
			try {
				process.kill(child.pid, 'SIGTERM');
			} catch {}
			const timer = setTimeout(killOnExit, 5000);
			await exited;
			clearTimeout(timer);
		}
		process.off('exit', killOnExit);
		return exitInfo;
	};
	const deadline = Date.now() + timeoutMs;
	while (!(await ping(port))) {
		if (exitInfo) throw new Error(`redis-server exited early (${JSON.stringify(exitInfo)}): ${output}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`redis-server did not answer PING within ${timeoutMs} ms: ${output}`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { port, pid: child.pid, output: () => output, stop };
}
