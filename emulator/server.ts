/**
 * A real HTTP server that behaves like Bright Data's Scraper Studio API (`/dca/*`), following
 * /work/shared/docs/scraper-studio-api.md. Start it with `startEmulator()`, point the node's base
 * URL at `emulator.url`, and inspect `emulator.requests` / `emulator.jobs` afterwards.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { AiFlowStore } from './aiFlow';
import { EmulatedClock } from './clock';
import { COLLECTORS, type CollectorSpec } from './collectors';
import { iso, type EmulatorContext, type Settings } from './context';
import { Deliveries, type DeliveryRecord, type NotifyPlan } from './delivery';
import { HealStore } from './heal';
import {
	FaultBook,
	hugeReply,
	malformedReply,
	statusFaultReply,
	statusObjectReply,
	tearNdjson,
	type Fault,
	type RequestTarget,
} from './faults';
import { BodyTooLargeError, bodyPieces, errorJson, readRequest } from './http';
import { JobStore, type BatchJob, type JobStatus, type TriggerOptions } from './jobs';
import { RealtimeStore } from './realtime';
import { wantedFormat } from './routes/batch';
import { findRoute } from './routes';
import type { InputObject, ParsedRequest, RecordedRequest, Reply, Row } from './types';

export type { CollectorSpec } from './collectors';
export type { Fault } from './faults';
export type { DeliveryRecord, NotifyPlan } from './delivery';
export type { RecordedRequest } from './types';

export interface EmulatorOptions {
	/** Bearer token the emulator accepts (default 'emulator-token'). */
	token?: string;
	/** Always 127.0.0.1; present so callers can be explicit. */
	host?: '127.0.0.1';
	/** 0 (default) picks a free port. */
	port?: number;
	/** Emulated seconds per real second (default 1; 1000 makes a 20 s job ready in 20 ms). */
	timeScale?: number;
	/** Default: the table in collectors.ts. */
	collectors?: CollectorSpec[];
	/** Expired snapshots on /dca/dataset: '404' (default) or 'emptyArray' (200 `[]`). */
	expiredResponse?: Settings['expiredResponse'];
	/** /dca/dataset body without `format=json`: 'ndjson' (default) or 'json'. */
	datasetDefaultFormat?: Settings['datasetDefaultFormat'];
	/** trigger_immediate success status: 202 (default, as seen live) or 200 (as documented). */
	triggerImmediateStatus?: Settings['triggerImmediateStatus'];
	/** trigger_immediate calls per emulated minute before 429 (default 50,000). */
	triggerImmediateLimitPerMinute?: number;
	/** /dca/log key case: 'lowercase' (default) or 'documented' (`Id`, `Status`, `Success_rate`…). */
	logKeys?: Settings['logKeys'];
	/** Pending dataset answers say "try again in N s" (default true); false gives the bare `{"status":"building"}`. */
	pendingHint?: boolean;
	/** /dca/log progress: 'moving' (default), 'missing' or 'inconsistent' (see collectors.ts). */
	logProgress?: Settings['logProgress'];
	/** One line per request (never includes headers or the token). */
	logger?: (line: string) => void;
	/** How long a notify / deliver call waits for the endpoint's answer before giving up (real ms, default 5,000). */
	webhookTimeoutMs?: number;
}

/** A batch job as tests see it. */
export interface JobView {
	id: string;
	collector: string;
	status: JobStatus;
	inputs: InputObject[];
	options: TriggerOptions;
	created: string | null;
	started: string | null;
	finished: string | null;
	expired: boolean;
	rerunOf?: string;
	/** Final dataset rows (empty until the job ends). */
	rows: Row[];
}

/** A real-time request as tests see it. */
export interface ResponseView {
	id: string;
	collector: string;
	input: InputObject;
	via: 'trigger_immediate' | 'crawl';
	ready: boolean;
}

export interface Emulator {
	/** e.g. http://127.0.0.1:41234 */
	readonly url: string;
	readonly port: number;
	readonly token: string;
	readonly timeScale: number;
	/** Every request received, in order (live array). */
	readonly requests: RecordedRequest[];
	/** Every notify / deliver attempt (live array). */
	readonly deliveries: DeliveryRecord[];
	/** Snapshot of all batch jobs, oldest first. */
	readonly jobs: JobView[];
	/** Snapshot of all real-time requests, oldest first. */
	readonly responses: ResponseView[];
	job(id: string): JobView | undefined;
	/** Requests recorded for this method and path (exact string or RegExp). */
	count(method: string, path: string | RegExp): number;
	injectFault(fault: Fault): void;
	clearFaults(): void;
	/** The snapshot counts as expired from now on. */
	expire(snapshotId: string): void;
	/** The job completes now, with all its inputs. */
	finish(snapshotId: string): void;
	/** Fault injection for one job's notification: late (real ms), several copies at once, or never. */
	planNotify(snapshotId: string, plan: NotifyPlan): void;
	/**
	 * The target site changed: rows of `collectorId` give these fields as null from now on (jobs
	 * already finished keep their rows), until a self-heal saved to production repairs them.
	 */
	siteChanged(collectorId: string, fields: string[]): void;
	/** Moves emulated time forward (due jobs finish, webhooks fire). */
	advance(emulatedSeconds: number): void;
	/** Emulated epoch ms. */
	now(): number;
	/** Resolves when every notify / deliver started so far is over. */
	deliveriesSettled(): Promise<void>;
	/** Stops listening and destroys every open socket (hung requests included). */
	close(): Promise<void>;
}

const DEFAULT_TOKEN = 'emulator-token';

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const token = options.token ?? DEFAULT_TOKEN;
	const clock = new EmulatedClock(options.timeScale ?? 1);
	const faults = new FaultBook();
	const requests: RecordedRequest[] = [];
	const closing = new AbortController();
	const deliveries = new Deliveries(closing.signal, options.webhookTimeoutMs);

	const jobs: JobStore = new JobStore(clock, {
		// Collector-level faults get their own copy per job, so each job sees the full burst.
		created: (job) => job.collector.faults?.forEach((fault) => faults.add({ ...fault, jobId: job.id })),
		ended: (job) =>
			deliveries.jobEnded({ id: job.id, status: jobs.status(job), notify: job.options.notify, deliver: job.options.deliver, rows: jobs.rows(job) }),
	});
	const userEmail = 'emulator@example.com';
	const collectors = new Map((options.collectors ?? COLLECTORS).map((collector) => [collector.id, collector]));
	const ctx: EmulatorContext = {
		clock,
		collectors,
		jobs,
		ai: new AiFlowStore(clock),
		heals: new HealStore(clock, collectors, userEmail),
		realtime: new RealtimeStore(clock),
		settings: {
			expiredResponse: options.expiredResponse ?? '404',
			datasetDefaultFormat: options.datasetDefaultFormat ?? 'ndjson',
			triggerImmediateStatus: options.triggerImmediateStatus ?? 202,
			triggerImmediateLimitPerMinute: options.triggerImmediateLimitPerMinute ?? 50_000,
			logKeys: options.logKeys ?? 'lowercase',
			pendingHint: options.pendingHint ?? true,
			logProgress: options.logProgress ?? 'moving',
			userEmail: userEmail,
		},
		closing: closing.signal,
	};
	for (const collector of ctx.collectors.values()) collector.history?.forEach((inputs, index, all) => jobs.addPastJob(collector, inputs, all.length - index));
	const exchange = new ExchangeHandler(ctx, faults, requests, token, options.logger);
	const server = createServer((req, res) => void exchange.handle(req, res));

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const jobOrThrow = (id: string): BatchJob => {
		const job = jobs.get(id);
		if (!job) throw new Error(`No job ${id}`);
		return job;
	};

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		token,
		timeScale: clock.timeScale,
		requests,
		deliveries: deliveries.records,
		get jobs() {
			jobs.settle();
			return jobs.all().map((job) => jobView(job, jobs));
		},
		get responses() {
			return ctx.realtime.all().map((response) => ({
				id: response.id,
				collector: response.collector.id,
				input: response.input,
				via: response.via,
				ready: ctx.realtime.isReady(response),
			}));
		},
		job: (id) => {
			jobs.settle();
			const job = jobs.get(id);
			return job && jobView(job, jobs);
		},
		count: (method, path) => {
			const samePath = (recorded: string): boolean => (typeof path === 'string' ? recorded === path : path.test(recorded));
			return requests.filter((request) => request.method === method.toUpperCase() && samePath(request.path)).length;
		},
		injectFault: (fault) => faults.add(fault),
		clearFaults: () => faults.clear(),
		expire: (id) => jobs.expire(jobOrThrow(id)),
		siteChanged: (id, fields) => {
			const collector = collectors.get(id);
			if (!collector) throw new Error(`No collector ${id}`);
			collectors.set(id, { ...collector, brokenFields: fields });
		},
		finish: (id) => jobs.forceFinish(jobOrThrow(id)),
		planNotify: (id, plan) => deliveries.plan(jobOrThrow(id).id, plan),
		advance: (seconds) => {
			clock.advance(seconds);
			jobs.settle();
		},
		now: () => clock.now(),
		deliveriesSettled: () => deliveries.settled(),
		close: async () => {
			closing.abort();
			clock.dispose();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
			await deliveries.settled();
		},
	};
}

function jobView(job: BatchJob, jobs: JobStore): JobView {
	return {
		id: job.id,
		collector: job.collector.id,
		status: jobs.status(job),
		inputs: job.inputs,
		options: job.options,
		created: iso(job.createdAt),
		started: iso(jobs.startedAt(job)),
		finished: iso(job.end?.at),
		expired: jobs.isExpired(job),
		rerunOf: job.rerunOf,
		// Built when read: `jobs.length` must stay cheap with 20,000 inputs in the store.
		get rows() {
			return jobs.rows(job);
		},
	};
}

/**
 * One request from arrival to answer: record it, apply a matching fault, check the token, route.
 * Faults are applied before authentication, as a broken front end would.
 */
class ExchangeHandler {
	constructor(
		private readonly ctx: EmulatorContext,
		private readonly faults: FaultBook,
		private readonly requests: RecordedRequest[],
		private readonly token: string,
		private readonly logger?: (line: string) => void,
	) {}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let request: ParsedRequest;
		try {
			request = await readRequest(req);
		} catch (error) {
			const tooLarge = error instanceof BodyTooLargeError;
			return this.send(res, undefined, errorJson(tooLarge ? 413 : 400, tooLarge ? 'Request body too large' : 'Unreadable request'));
		}
		const record: RecordedRequest = {
			method: request.method,
			path: request.path,
			query: request.query,
			body: request.body,
			status: null,
			time: new Date().toISOString(),
		};
		this.requests.push(record);
		this.ctx.jobs.settle();
		this.ctx.ai.settle();
		this.ctx.heals.settle();

		try {
			await this.answer(request, record, req, res);
		} catch (error) {
			this.logger?.(`emulator error on ${request.method} ${request.path}: ${error instanceof Error ? error.stack : String(error)}`);
			this.send(res, record, errorJson(500, 'Internal server error'));
		}
	}

	private async answer(request: ParsedRequest, record: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
		const fault = this.faults.find(request, this.targetOf(request));
		const use = (): void => {
			if (!fault) return;
			this.faults.consume(fault);
			record.fault = fault.kind;
		};
		switch (fault?.kind) {
			case 'hang':
				use();
				return this.log(record, 'hung'); // the socket stays open until close()
			case 'drop':
				use();
				if (fault.after) await this.route(request);
				return this.drop(req, record);
			case 'status':
				use();
				return this.send(res, record, statusFaultReply(fault));
			case 'malformed':
				use();
				return this.send(res, record, malformedReply(fault));
			case 'statusObject':
				use();
				return this.send(res, record, statusObjectReply(fault));
			case 'huge':
				use();
				return this.send(res, record, hugeReply(fault.bytes, wantedFormat(request, this.ctx) === 'ndjson', fault.rowBytes));
			case 'delay':
				use();
				await new Promise((resolve) => setTimeout(resolve, fault.ms).unref()); // unref: never delays process exit
				break;
		}
		const reply = await this.route(request);
		const torn = fault?.kind === 'tornNdjson' ? tearNdjson(reply) : undefined;
		if (torn) use(); // only a reply that carries rows can be torn; otherwise the fault waits
		this.send(res, record, torn ?? reply);
	}

	private async route(request: ParsedRequest): Promise<Reply> {
		const problem = authProblem(request.authorization, this.token);
		if (problem) return errorJson(401, problem);
		const found = findRoute(request.method, request.path);
		if (!found) return errorJson(404, 'Not found');
		return found.route.handler(request, this.ctx, found.params);
	}

	/** The collector and job / response a request is about, for fault matching. */
	private targetOf(request: ParsedRequest): RequestTarget {
		const { query, path } = request;
		const jobId = query.id ?? query.response_id ?? path.match(/^\/dca\/(?:log|jobs)\/([^/]+)/)?.[1];
		const about = jobId === undefined ? undefined : (this.ctx.jobs.get(jobId) ?? this.ctx.realtime.get(jobId));
		return { jobId, collectorId: query.collector ?? about?.collector.id ?? path.match(/^\/dca\/collectors\/([^/]+)/)?.[1] };
	}

	private send(res: ServerResponse, record: RecordedRequest | undefined, reply: Reply): void {
		if (res.destroyed || res.writableEnded) return; // the client left, or close() ran during a long-poll
		const pieces = bodyPieces(reply.body);
		const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
		res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(length) });
		for (const piece of pieces) res.write(piece);
		res.end();
		if (record) {
			record.status = reply.status;
			this.log(record, String(reply.status));
		}
	}

	private drop(req: IncomingMessage, record: RecordedRequest): void {
		req.socket.destroy();
		this.log(record, 'dropped');
	}

	private log(record: RecordedRequest, outcome: string): void {
		const query = new URLSearchParams(record.query).toString();
		this.logger?.(`${record.method} ${record.path}${query ? `?${query}` : ''} → ${outcome}${record.fault ? ` (fault: ${record.fault})` : ''}`);
	}
}

/** The 401 message for a bad Authorization header (worded like the sibling /datasets/v3 API), or undefined. */
function authProblem(authorization: string | undefined, token: string): string | undefined {
	if (!authorization) return 'Credentials are missing';
	const match = authorization.match(/^bearer\s+(\S+)\s*$/i);
	if (!match) return 'Auth method is not supported';
	return match[1] === token ? undefined : 'Invalid credentials';
}
