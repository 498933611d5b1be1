/**
 * Push delivery when a job ends: first `deliver` (rows to a webhook), then `notify` (a small
 * completion signal). Bright Data does not document either request, so the shapes are minimal
 * (see README). Only loopback endpoints are called; every attempt is recorded, none can throw.
 */
import { setMaxListeners } from 'node:events';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { JsonObject, JsonValue, Row } from './types';

export interface DeliveryRecord {
	kind: 'notify' | 'deliver';
	snapshotId: string;
	/** Endpoint as given (or the e-mail type when not a webhook). */
	endpoint: string;
	/** sent = endpoint answered (any status); refused = not loopback; failed = network error; skipped = not a webhook. */
	outcome: 'sent' | 'refused' | 'failed' | 'skipped';
	status?: number;
	error?: string;
	/** Real wall-clock time, ISO (when the attempt ended). */
	time: string;
	/** Real wall-clock time the request was sent, ISO (sent and failed attempts). */
	sentAt?: string;
	/** Which copy of a notification this is (1 unless a plan sends it more than once). */
	copy?: number;
}

/**
 * A test's plan for one job's notification (fault injection): sent `delayMs` real milliseconds
 * after the job ends, `copies` times (at the same moment), or never (`skip`).
 */
export interface NotifyPlan {
	delayMs?: number;
	copies?: number;
	skip?: boolean;
}

export interface EndedJob {
	id: string;
	status: string;
	notify?: JsonObject;
	deliver?: JsonObject;
	rows: Row[];
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const WEBHOOK_TIMEOUT_MS = 5000;

export class Deliveries {
	readonly records: DeliveryRecord[] = [];
	private readonly inFlight = new Set<Promise<void>>();
	private readonly plans = new Map<string, NotifyPlan>();

	/** `closing` aborts webhook calls still in flight when the emulator closes. */
	constructor(
		private readonly closing: AbortSignal,
		private readonly timeoutMs = WEBHOOK_TIMEOUT_MS,
	) {
		// Every webhook call in flight (and every planned late one) listens to it: hundreds at once in the hub bench.
		setMaxListeners(0, closing);
	}

	/** Starts deliver-then-notify in the background. */
	jobEnded(job: EndedJob): void {
		if (!job.notify && !job.deliver) return;
		const run = this.deliverThenNotify(job).finally(() => this.inFlight.delete(run));
		this.inFlight.add(run);
	}

	/** How the notification of job `snapshotId` is sent when it ends (set before it ends). */
	plan(snapshotId: string, plan: NotifyPlan): void {
		this.plans.set(snapshotId, plan);
	}

	/** Resolves once every delivery started so far is over (for tests). */
	async settled(): Promise<void> {
		while (this.inFlight.size) await Promise.all([...this.inFlight]);
	}

	private async deliverThenNotify(job: EndedJob): Promise<void> {
		if (job.deliver) {
			const body = gzipSync(JSON.stringify(job.rows));
			// `auth_header`: the Authorization header Bright Data's UI lets a webhook delivery send (its field name is our guess).
			const auth: Record<string, string> = typeof job.deliver.auth_header === 'string' ? { Authorization: job.deliver.auth_header } : {};
			await this.post('deliver', job.id, job.deliver, body, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', ...auth });
		}
		if (job.notify) {
			const body = JSON.stringify({ collection_id: job.id, snapshot_id: job.id, status: job.status });
			const plan = this.plans.get(job.id) ?? {};
			if (plan.skip) {
				this.records.push({ kind: 'notify', snapshotId: job.id, endpoint: String(job.notify.endpoint), outcome: 'skipped', error: 'planned: never sent', time: new Date().toISOString() });
				return;
			}
			if (plan.delayMs) await sleepUnlessClosing(plan.delayMs, this.closing);
			if (this.closing.aborted) return;
			const copies = Math.max(1, plan.copies ?? 1);
			await Promise.all(
				Array.from({ length: copies }, (_, i) => this.post('notify', job.id, job.notify as JsonObject, Buffer.from(body), { 'Content-Type': 'application/json' }, i + 1)),
			);
		}
	}

	private async post(
		kind: DeliveryRecord['kind'],
		snapshotId: string,
		target: JsonObject,
		body: Buffer,
		headers: Record<string, string>,
		copy = 1,
	): Promise<void> {
		const endpoint = typeof target.endpoint === 'string' ? target.endpoint : '';
		const record = (outcome: DeliveryRecord['outcome'], extra: Partial<DeliveryRecord> = {}): void => {
			this.records.push({ kind, snapshotId, endpoint: endpoint || String(target.type), outcome, time: new Date().toISOString(), ...(copy > 1 ? { copy } : {}), ...extra });
		};
		if (target.type !== 'webhook') return record('skipped', { error: `delivery type ${describe(target.type)} is not emulated` });
		const url = parseUrl(endpoint);
		if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
			return record('refused', { error: 'only http://127.0.0.1 / localhost endpoints are called by the emulator' });
		}
		const sentAt = new Date().toISOString();
		try {
			record('sent', { status: await postBuffer(url, body, headers, this.closing, this.timeoutMs), sentAt });
		} catch (error) {
			record('failed', { error: error instanceof Error ? error.message : String(error), sentAt });
		}
	}
}

/** Waits real milliseconds; resolves early when the emulator closes. */
function sleepUnlessClosing(ms: number, closing: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(done, ms);
		timer.unref(); // a planned late notification never keeps a process alive
		closing.addEventListener('abort', done, { once: true });
		function done(): void {
			clearTimeout(timer);
			closing.removeEventListener('abort', done);
			resolve();
		}
	});
}

function describe(value: JsonValue | undefined): string {
	return value === undefined ? '(none)' : JSON.stringify(value);
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** POSTs once on a fresh connection (agent: false), so no pooled socket outlives the emulator. */
function postBuffer(url: URL, body: Buffer, headers: Record<string, string>, signal: AbortSignal, timeoutMs: number): Promise<number> {
	return new Promise((resolve, reject) => {
		const options = {
			method: 'POST',
			headers: { ...headers, 'Content-Length': String(body.length) },
			timeout: timeoutMs,
			agent: false,
			signal,
		};
		const outgoing = request(url, options, (response) => {
			response.resume(); // the answer's body is irrelevant; drain it so the socket is freed
			response.on('end', () => resolve(response.statusCode ?? 0));
			response.on('error', reject);
		});
		outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}
