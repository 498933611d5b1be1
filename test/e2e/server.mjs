/**
 * Helpers for the tests against a running n8n server (server.test.mjs): its REST API as the
 * owner, production webhook calls, stored executions, a queue-mode worker, and moving a waiting
 * execution's wake-up time in the SQLite database. Node built-ins, plus n8n's own `flatted`,
 * `sqlite3` and Node 24 from the cached install.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { fetchJson, n8nPaths } from '../../scripts/n8n/n8n.mjs';

const root = join(import.meta.dirname, '..', '..');
const n8nRequire = () => createRequire(join(n8nPaths().dir, 'package.json'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Copies the built package (dist/ and package.json) to `folder`, like an installed package. */
export function copyPackage(folder) {
	mkdirSync(folder, { recursive: true });
	cpSync(join(root, 'dist'), join(folder, 'dist'), { recursive: true });
	cpSync(join(root, 'package.json'), join(folder, 'package.json'));
	return folder;
}

/** Polls `check` (async, returns a truthy value when done) every `everyMs` until `timeoutMs`. */
export async function waitFor(what, check, { timeoutMs = 30_000, everyMs = 200 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	for (;;) {
		try {
			last = await check();
			if (last) return last;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
		}
		await sleep(everyMs);
	}
}

/** POSTs JSON (or a Buffer as is) and returns { status, body } (body parsed when JSON). */
export async function post(url, body, headers = {}) {
	const isBuffer = Buffer.isBuffer(body);
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: isBuffer ? body : JSON.stringify(body ?? {}),
		signal: AbortSignal.timeout(60_000),
	});
	const text = await res.text();
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {}
	return { status: res.status, body: parsed };
}

/** A gzip-compressed JSON body, as Bright Data's webhook delivery sends rows. */
export const gzipJson = (value) => gzipSync(JSON.stringify(value));

/** The owner's view of a running n8n through its REST API (the editor's API, cookie auth). */
export class N8nRest {
	constructor(url, cookie) {
		this.url = url;
		this.cookie = cookie;
	}

	async call(pathname, { method = 'GET', body } = {}) {
		return (await fetchJson(this.url, pathname, { cookie: this.cookie, method, body }))?.data;
	}

	/** Creates a credential; returns { id, name }. */
	async createCredential({ name, type, data }) {
		const { id } = await this.call('/rest/credentials', { method: 'POST', body: { name, type, data } });
		return { id, name };
	}

	/** Creates a workflow and publishes (activates) it; returns its id. */
	async createActiveWorkflow(workflow) {
		const created = await this.call('/rest/workflows', {
			method: 'POST',
			body: { settings: { executionOrder: 'v1' }, ...workflow },
		});
		const activated = await this.call(`/rest/workflows/${created.id}/activate`, { method: 'POST', body: { versionId: created.versionId } });
		if (!activated.active) throw new Error(`workflow ${workflow.name} did not activate`);
		return created.id;
	}

	/** The executions of a workflow, newest first (summaries: id, status, mode, startedAt, stoppedAt, waitTill). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const { results } = await this.call(`/rest/executions?filter=${filter}&limit=100`);
		return results;
	}

	/** One execution with its run data parsed (n8n stores and serves it in `flatted` form). */
	async execution(id) {
		const execution = await this.call(`/rest/executions/${id}`);
		return { ...execution, data: n8nRequire()('flatted').parse(execution.data) };
	}

	/** Waits until the workflow has `count` executions that all satisfy `predicate`; returns them oldest first. */
	async waitForExecutions(workflowId, { count = 1, predicate = () => true, timeoutMs = 30_000, what } = {}) {
		return await waitFor(
			what ?? `${count} execution(s) of workflow ${workflowId}`,
			async () => {
				const list = await this.executions(workflowId);
				return list.length === count && list.every(predicate) ? list.slice().reverse() : undefined;
			},
			{ timeoutMs, everyMs: 250 },
		);
	}

	/** Waits for an execution to reach `status` (any of them, if an array); returns the full execution. */
	async waitForStatus(id, status, { timeoutMs = 30_000 } = {}) {
		const wanted = [status].flat();
		await waitFor(`execution ${id} to be ${wanted.join('/')}`, async () => wanted.includes((await this.call(`/rest/executions/${id}`)).status), { timeoutMs, everyMs: 250 });
		return await this.execution(id);
	}

	/**
	 * Calls a production webhook. Activation registers webhooks a moment after the activate call
	 * answers, so a 404 "not registered" is retried for a few seconds.
	 */
	async webhook(path, body, headers) {
		const deadline = Date.now() + 10_000;
		for (;;) {
			const answer = await post(`${this.url}/webhook/${path}`, body, headers);
			const notRegistered = answer.status === 404 && /not registered/.test(JSON.stringify(answer.body));
			if (!notRegistered || Date.now() > deadline) return answer;
			await sleep(200);
		}
	}
}

/** json of every item of `node`'s output `outputIndex`, last run, in a parsed execution. */
export function outputOf(execution, node, outputIndex = 0) {
	const runs = execution.data?.resultData?.runData?.[node] ?? [];
	return (runs.at(-1)?.data?.main?.[outputIndex] ?? []).map(({ json }) => json);
}

/** How many times each node ran in a parsed execution. */
export function runCounts(execution) {
	return Object.fromEntries(Object.entries(execution.data?.resultData?.runData ?? {}).map(([node, runs]) => [node, runs.length]));
}

/**
 * The worker's job log: [{ event: 'started' | 'finished', executionId }] in order, from its
 * "Worker started execution N" / "Worker finished execution N" lines (log level info).
 */
export function workerEvents(output) {
	return [...output.matchAll(/Worker (started|finished) execution (\d+)/g)].map(([, event, executionId]) => ({ event, executionId }));
}

/**
 * Sets execution_entity.waitTill of a waiting execution in n8n's SQLite database (n8n must be
 * stopped), written in the format the column already holds. Runs Node 24 with n8n's own sqlite3.
 */
export function setWaitTill(userFolder, executionId, date) {
	const { nodeBin, dir } = n8nPaths();
	const script = `
		const sqlite3 = require(${JSON.stringify(join(dir, 'node_modules', 'sqlite3'))});
		const db = new sqlite3.Database(process.argv[1]);
		const [id, iso] = [process.argv[2], process.argv[3]];
		db.get('SELECT waitTill FROM execution_entity WHERE id = ?', [id], (error, row) => {
			if (error || !row || !row.waitTill) { console.error(error ? error.message : 'no waiting execution ' + id); process.exit(1); }
			const value = /T/.test(row.waitTill) ? iso : iso.replace('T', ' ').replace('Z', '');
			db.run('UPDATE execution_entity SET waitTill = ? WHERE id = ?', [value, id], function (e) {
				if (e || this.changes !== 1) { console.error(e ? e.message : 'not updated'); process.exit(1); }
				console.log(JSON.stringify({ before: row.waitTill, after: value }));
				db.close();
			});
		});`;
	const r = spawnSync(nodeBin, ['-e', script, join(userFolder, '.n8n', 'database.sqlite'), String(executionId), date.toISOString()], { encoding: 'utf8', timeout: 30_000 });
	if (r.status !== 0) throw new Error(`setWaitTill failed: ${r.stderr || r.stdout}`);
	return JSON.parse(r.stdout);
}
