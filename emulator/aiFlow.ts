/**
 * The AI Flow API's create side (/work/shared/docs/ai-flow-api.md §2–§5): collectors made by
 * POST /dca/collector, AI jobs that write their code on the emulated clock, the per-account limit.
 */
import type { EmulatedClock } from './clock';
import type { CollectorSpec, FieldType } from './collectors';
import { randomAlnum } from './ids';
import type { JsonObject } from './types';

/** The create steps in the order Bright Data reports them (its spelling). */
export const CREATE_STEPS = [
	'prepare_intent_analyzer',
	'planner',
	'discovery',
	'collector_mainatiner',
	'output_schema_generator',
	'code_generator',
	'input_schema_generator',
	'preview_runner',
	'preview_picker',
];
/** A finished job still names this step (notes §2). */
const FINAL_STEP = 'collector_mainatiner';
/** Where a failing job stops. */
const FAILING_STEP = CREATE_STEPS.indexOf('code_generator');
/** "5 to 15 minutes": the emulated default; "up to 25 on complex targets" for a description that says complex. */
export const AI_JOB_SECONDS = 360;
export const COMPLEX_AI_JOB_SECONDS = 1500;
export const MAX_PARALLEL_AI_JOBS = 3;
export const JOBS_LIMIT_TEXT = `Cannot run more than ${MAX_PARALLEL_AI_JOBS} jobs in parallel`;
const MAX_OUTPUT_FIELDS = 6;
const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'of', 'for', 'each', 'every', 'its', 'with', 'from', 'to', 'in', 'on', 'get', 'extract', 'all', 'page', 'complex', 'fail']);

export interface AiJob {
	id: string;
	collector: CollectorSpec;
	description: string;
	startedAt: number;
	/** Emulated ms the steps spread over. */
	durationMs: number;
	/** When it ends: done after all steps, failed at code_generator. */
	endsAt: number;
	/** A description with the word "fail" ends `failed` at code_generator. */
	fails: boolean;
}

/** Output fields from the description's words: "title, price and rating" → title, price, rating (plus url). */
export function fieldsFromDescription(description: string): Record<string, FieldType> {
	const words = description.toLowerCase().match(/[a-z][a-z0-9_]*/g) ?? [];
	const fields = [...new Set(words.filter((word) => !STOP_WORDS.has(word)))].slice(0, MAX_OUTPUT_FIELDS);
	return Object.fromEntries([...fields.map((field): [string, FieldType] => [field, field.includes('price') ? 'price' : 'text']), ['url', 'url']]);
}

export class AiFlowStore {
	private readonly jobs = new Map<string, AiJob>();

	constructor(private readonly clock: EmulatedClock) {}

	/** A collector entity without code: /dca/trigger refuses it until its AI job is done. */
	createCollector(name: string): CollectorSpec {
		return { id: `c_${randomAlnum(17)}`, name, mode: 'batch', inputFields: ['url'], outputFields: {}, readySeconds: 10, hasTemplate: false, makeRow: (input) => ({ url: input.url }) };
	}

	running(): number {
		const now = this.clock.now();
		return [...this.jobs.values()].filter((job) => now < job.endsAt).length;
	}

	/** Starts (or restarts) the AI job of a collector; its code is ready once the clock reaches the end. */
	start(collector: CollectorSpec, description: string): AiJob {
		const startedAt = this.clock.now();
		const seconds = /\bcomplex\b/i.test(description) ? COMPLEX_AI_JOB_SECONDS : AI_JOB_SECONDS;
		const fails = /\bfail\b/i.test(description);
		const durationMs = seconds * 1000;
		const endsAt = startedAt + (fails ? (durationMs * FAILING_STEP) / CREATE_STEPS.length : durationMs);
		const job: AiJob = { id: `ia_${randomAlnum(12)}`, collector, description, startedAt, durationMs, endsAt, fails };
		this.jobs.set(collector.id, job);
		return job;
	}

	/** Gives every collector whose AI job is done its code: fields from the description (called on each request). */
	settle(): void {
		const now = this.clock.now();
		for (const job of this.jobs.values()) {
			if (job.fails || now < job.endsAt || job.collector.hasTemplate) continue;
			job.collector.outputFields = fieldsFromDescription(job.description);
			job.collector.hasTemplate = true;
		}
	}

	/** `{step, completed_steps, status}` as GET …/automate_template/progress answers, or undefined for none. */
	progress(collectorId: string): JsonObject | undefined {
		const job = this.jobs.get(collectorId);
		if (!job) return undefined;
		const now = this.clock.now();
		if (now >= job.endsAt) {
			return job.fails
				? { step: CREATE_STEPS[FAILING_STEP], completed_steps: CREATE_STEPS.slice(0, FAILING_STEP), status: 'failed' }
				: { step: FINAL_STEP, completed_steps: [...CREATE_STEPS], status: 'done' };
		}
		const current = Math.min(CREATE_STEPS.length - 1, Math.floor(((now - job.startedAt) / job.durationMs) * CREATE_STEPS.length));
		return { step: CREATE_STEPS[current], completed_steps: CREATE_STEPS.slice(0, current), status: 'running' };
	}
}
