/**
 * Batch jobs (collections). A job's progress is not stored but derived from the emulated clock:
 * it waits in the queue until `startAt`, then its inputs complete one by one, evenly spread over
 * the collector's run time. `settle()` turns due jobs into finished ones (and fires `ended`,
 * which sends notify / deliver webhooks); it runs on a timer and before every request.
 */
import type { EmulatedClock } from './clock';
import { runMs, type CollectorSpec } from './collectors';
import { newJobId } from './ids';
import { errorRow, inputFails, rowsOfInput } from './rows';
import type { InputObject, JsonObject, Row } from './types';

export type JobStatus = 'building' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled';

/** Query parameters of the trigger, as recorded on the job. */
export interface TriggerOptions {
	name?: string;
	version?: string;
	queue?: string;
	queueNext?: number;
	confirmCancel?: number;
	noDownloads?: number;
	/** As sent, e.g. "30m". */
	deadline?: string;
	notify?: JsonObject;
	deliver?: JsonObject;
}

type EndReason = 'finished' | 'cancelled' | 'deadline' | 'forced';

interface JobEnd {
	at: number;
	status: 'done' | 'failed' | 'cancelled';
	reason: EndReason;
	/** Inputs that completed before the end; the others get an error row. */
	completed: number;
}

export interface BatchJob {
	readonly id: string;
	readonly collector: CollectorSpec;
	readonly inputs: InputObject[];
	readonly options: TriggerOptions;
	/** Emulated epoch ms. */
	readonly createdAt: number;
	/** When the job leaves the queue (Infinity: behind a job that never ends). */
	readonly startAt: number;
	/** Emulated run time (Infinity: never finishes). */
	readonly runMs: number;
	readonly deadlineAt?: number;
	readonly rerunOf?: string;
	pausedAt?: number;
	pausedMs: number;
	end?: JobEnd;
	expiredAt?: number;
	/** Dataset polls so far (drives the 'alternate' status word). */
	polls: number;
	/** /dca/log reads so far (drives the 'inconsistent' log). */
	logReads?: number;
}

export interface JobStats {
	inputs: number;
	dupInputs: number;
	completed: number;
	success: number;
	fails: number;
	/** Data rows produced (error rows excluded). */
	lines: number;
	pages: number;
	pagesLeft: number;
	navigations: number;
}

/** Every job spends one emulated second as "building" before it runs. */
const START_DELAY_MS = 1000;
/** Batch retention: 16 days. */
const RETENTION_MS = 16 * 24 * 3600 * 1000;

export interface JobHooks {
	/** A job was created (trigger or rerun). */
	created?: (job: BatchJob) => void;
	/** A job reached done / failed / cancelled. */
	ended?: (job: BatchJob) => void;
}

export class JobStore {
	private readonly jobs = new Map<string, BatchJob>();

	constructor(
		private readonly clock: EmulatedClock,
		private readonly hooks: JobHooks = {},
	) {}

	create(collector: CollectorSpec, inputs: InputObject[], options: TriggerOptions, deadlineMs?: number, rerunOf?: string): BatchJob {
		const createdAt = this.clock.now();
		const job: BatchJob = {
			id: newJobId(),
			collector,
			inputs,
			options,
			createdAt,
			startAt: Math.max(createdAt + START_DELAY_MS, ...this.blockers(collector, options).map(readyAt)),
			runMs: runMs(collector, inputs.length),
			deadlineAt: deadlineMs === undefined ? undefined : createdAt + deadlineMs,
			rerunOf,
			pausedMs: 0,
			polls: 0,
		};
		this.jobs.set(job.id, job);
		this.hooks.created?.(job);
		this.schedule(job);
		return job;
	}

	/**
	 * A finished job from `daysAgo` days before now, with `inputCount` generated inputs, for the
	 * collector's job history. It fires no hooks (no webhooks for the past).
	 */
	addPastJob(collector: CollectorSpec, inputCount: number, daysAgo: number): BatchJob {
		const createdAt = this.clock.now() - daysAgo * 24 * 3600 * 1000;
		const inputs = Array.from({ length: inputCount }, (_, index) => ({ url: `https://history.example/${collector.id}/${daysAgo}/${index}` }));
		const startAt = createdAt + START_DELAY_MS;
		const run = runMs(collector, inputCount);
		const job: BatchJob = {
			id: newJobId(),
			collector,
			inputs,
			options: {},
			createdAt,
			startAt,
			runMs: run,
			pausedMs: 0,
			polls: 0,
			end: { at: startAt + run, status: collector.outcome ?? 'done', reason: 'finished', completed: inputCount },
		};
		this.jobs.set(job.id, job);
		return job;
	}

	get(id: string): BatchJob | undefined {
		return this.jobs.get(id);
	}

	all(): BatchJob[] {
		return [...this.jobs.values()];
	}

	/** Ends every job whose finish time or deadline has passed. Idempotent. */
	settle(): void {
		const now = this.clock.now();
		for (const job of this.jobs.values()) {
			if (job.end) continue;
			const ready = readyAt(job);
			const deadline = job.deadlineAt ?? Infinity;
			if (ready <= deadline && now >= ready) {
				this.finish(job, { at: ready, status: job.collector.outcome ?? 'done', reason: 'finished', completed: job.inputs.length });
			} else if (deadline < ready && now >= deadline) {
				this.finish(job, { at: deadline, status: 'done', reason: 'deadline', completed: completedAt(job, deadline) });
			}
		}
	}

	status(job: BatchJob): JobStatus {
		if (job.end) return job.end.status;
		if (job.pausedAt !== undefined) return 'paused';
		return this.clock.now() < job.startAt ? 'building' : 'running';
	}

	/** When the job left the queue; undefined while queued, or if it ended (cancelled) before starting. */
	startedAt(job: BatchJob): number | undefined {
		return job.startAt <= this.activeUntil(job) ? job.startAt : undefined;
	}

	/** Emulated ms the job has actually run (pauses excluded), up to now or its end. */
	runTimeMs(job: BatchJob): number {
		const started = this.startedAt(job);
		return started === undefined ? 0 : Math.max(0, this.activeUntil(job) - started - job.pausedMs);
	}

	/** Emulated ms spent queued before starting. */
	queueTimeMs(job: BatchJob): number {
		return Math.min(job.startAt, this.activeUntil(job)) - job.createdAt;
	}

	isExpired(job: BatchJob): boolean {
		const now = this.clock.now();
		if (job.expiredAt !== undefined && now >= job.expiredAt) return true;
		const retention = job.collector.expiresAfterSeconds === undefined ? RETENTION_MS : job.collector.expiresAfterSeconds * 1000;
		return job.end !== undefined && now >= job.end.at + retention;
	}

	/** Whole emulated seconds until the job should be ready (at least 1; 60 when unknown). */
	secondsLeft(job: BatchJob): number {
		const eta = Math.min(readyAt(job), job.deadlineAt ?? Infinity);
		if (!Number.isFinite(eta)) return 60;
		return Math.max(1, Math.ceil((eta - this.clock.now()) / 1000));
	}

	/** Final rows of an ended job, in input order (empty while running, and for failed jobs). */
	rows(job: BatchJob): Row[] {
		return [...this.eachRow(job)];
	}

	/** The same rows one at a time: a bench dataset has a million of them. */
	*eachRow(job: BatchJob): Generator<Row> {
		const { end, collector } = job;
		if (!end || end.status === 'failed') return;
		for (const [index, input] of job.inputs.entries()) {
			if (index < end.completed) yield* rowsOfInput(collector, input);
			else if (!collector.omitErrorRows) yield unfinishedRow(input, end.reason);
		}
	}

	/** The job's counters now, or as they were at emulated time `at` (while it runs). */
	stats(job: BatchJob, at = this.clock.now()): JobStats {
		const { inputs, collector, end } = job;
		const completed = end?.completed ?? completedAt(job, at);
		const pagesPerInput = collector.pagesPerInput ?? 1;
		const done = inputs.slice(0, completed);
		const failed = end?.status === 'failed' ? done.length : done.filter((input) => inputFails(collector, input)).length;
		const unfinished = end ? inputs.length - completed : 0;
		const success = done.length - failed;
		return {
			inputs: inputs.length,
			dupInputs: inputs.length - new Set(inputs.map((input) => JSON.stringify(input))).size,
			completed,
			success,
			fails: failed + unfinished,
			lines: end?.status === 'failed' ? 0 : success * (collector.rowsPerInput ?? 1),
			pages: inputs.length * pagesPerInput,
			pagesLeft: end ? 0 : inputs.length * pagesPerInput - pagesDoneAt(job, at),
			navigations: completed * pagesPerInput,
		};
	}

	/** Inputs worth rerunning with `failed_only`: failed ones and those that never completed. */
	failedInputs(job: BatchJob): InputObject[] {
		const completed = job.end?.completed ?? 0;
		if (job.end?.status === 'failed') return job.inputs;
		return job.inputs.filter((input, index) => index >= completed || inputFails(job.collector, input));
	}

	/** Error message (for a 400) or undefined when done. */
	cancel(job: BatchJob): string | undefined {
		if (job.end) return `Job ${job.id} is already ${job.end.status} and cannot be cancelled`;
		const now = this.clock.now();
		this.finish(job, { at: now, status: 'cancelled', reason: 'cancelled', completed: completedAt(job, now) });
		return undefined;
	}

	pause(job: BatchJob): string | undefined {
		if (job.end) return `Job ${job.id} is already ${job.end.status} and cannot be paused`;
		job.pausedAt ??= this.clock.now();
		return undefined;
	}

	resume(job: BatchJob): string | undefined {
		if (job.end) return `Job ${job.id} is already ${job.end.status} and cannot be resumed`;
		if (job.pausedAt === undefined) return undefined;
		job.pausedMs += Math.max(0, this.clock.now() - Math.max(job.pausedAt, job.startAt));
		job.pausedAt = undefined;
		this.schedule(job);
		return undefined;
	}

	/** Test helper: the job completes now with all its inputs. */
	forceFinish(job: BatchJob): void {
		if (job.end) return;
		this.finish(job, { at: this.clock.now(), status: job.collector.outcome ?? 'done', reason: 'forced', completed: job.inputs.length });
	}

	/** Test helper: the snapshot counts as expired from now on. */
	expire(job: BatchJob): void {
		job.expiredAt = this.clock.now();
	}

	/** The job's clock stops at its end, or while paused. */
	private activeUntil(job: BatchJob): number {
		return job.end?.at ?? job.pausedAt ?? this.clock.now();
	}

	private finish(job: BatchJob, end: JobEnd): void {
		job.end = end;
		job.pausedAt = undefined;
		this.hooks.ended?.(job);
	}

	/** Jobs this one waits for: same `queue` name, or same collector when queue_next=0. */
	private blockers(collector: CollectorSpec, options: TriggerOptions): BatchJob[] {
		return this.all().filter((job) => {
			if (job.end) return false;
			if (options.queue) return job.options.queue === options.queue;
			return options.queueNext === 0 && job.collector.id === collector.id;
		});
	}

	private schedule(job: BatchJob): void {
		const next = Math.min(readyAt(job), job.deadlineAt ?? Infinity);
		if (Number.isFinite(next)) this.clock.at(next, () => this.settle());
	}
}

/** Emulated time the job will be ready, if it keeps running (Infinity when paused or endless). */
function readyAt(job: BatchJob): number {
	if (job.end) return job.end.at;
	if (job.pausedAt !== undefined) return Infinity;
	return job.startAt + job.pausedMs + job.runMs;
}

/** Inputs completed by emulated time `at`: evenly spread over the run time. */
function completedAt(job: BatchJob, at: number): number {
	const count = job.inputs.length;
	if (!Number.isFinite(job.runMs)) return 0;
	if (job.runMs === 0) return count;
	const until = Math.min(at, job.pausedAt ?? at);
	const elapsed = Math.max(0, until - job.startAt - job.pausedMs);
	return Math.min(count, Math.floor((elapsed / job.runMs) * count));
}

/** Pages crawled by emulated time `at`: evenly spread over the run time, like the inputs. */
function pagesDoneAt(job: BatchJob, at: number): number {
	const pages = job.inputs.length * (job.collector.pagesPerInput ?? 1);
	if (!Number.isFinite(job.runMs)) return 0;
	if (job.runMs === 0) return pages;
	const until = Math.min(at, job.pausedAt ?? at);
	const elapsed = Math.max(0, until - job.startAt - job.pausedMs);
	return Math.min(pages, Math.floor((elapsed / job.runMs) * pages));
}

function unfinishedRow(input: InputObject, reason: EndReason): Row {
	if (reason === 'deadline') return errorRow(input, 'Job deadline reached before this input was collected', 'deadline_timeout');
	return errorRow(input, 'Job was cancelled before this input was collected', 'aborted_page');
}
