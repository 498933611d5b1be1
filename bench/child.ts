import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..');

/**
 * Runs one measurement in its own Node process (a fresh heap and peak-RSS mark, `--expose-gc`) and
 * resolves with the message it sends back; a process that reports an error, sends nothing or
 * outlives `timeoutMs` (then killed) rejects with `label`.
 */
export function runInChild<Result extends object>(script: string, job: object, label: string, timeoutMs: number): Promise<Result> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', script, JSON.stringify(job)], {
			cwd: REPO,
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		let answer: Result | { error: string } | undefined;
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('message', (message) => (answer = message as typeof answer));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			if (answer && !('error' in answer)) return resolve(answer);
			reject(new Error(`${label}: ${answer?.error ?? `exit ${code ?? signal}`}`));
		});
	});
}
