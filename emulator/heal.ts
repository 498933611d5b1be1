/**
 * The AI Flow API's self-heal side (/work/shared/docs/ai-flow-api.md §2–§5): a heal job per
 * collector that runs its steps on the emulated clock, stops at the approval gate with a diff and
 * preview rows, and after the answer changes production (approve + auto_save), only the
 * development version (approve), or nothing (reject).
 */
import type { EmulatedClock } from './clock';
import type { CollectorSpec } from './collectors';
import { rowsForInput } from './rows';
import type { InputObject, JsonObject, JsonValue } from './types';

/** The heal steps seen before the gate (notes §2), then the gate itself. */
export const HEAL_STEPS = [
	'planner',
	'control_preview_runner',
	'code_fixer',
	'step_preview_runner',
	'request_fulfillment_validator',
	'css_selector_extractor',
	'agent_picker',
	'html_diff',
	'step_advance',
];
export const GATE_STEP = 'user_approval';
/** "Up to 15 minutes" to the diff (notes §4): the emulated heal reaches the gate after 8. */
export const HEAL_SECONDS = 480;
/** After the answer, the job finishes (and its change lands) this long later. */
export const APPLY_SECONDS = 30;
/** A prompt with the word "fail" ends `failed` at code_fixer. */
const FAILING_STEP = HEAL_STEPS.indexOf('code_fixer');
/** The input the preview runs when the heal was started without test inputs. */
const PREVIEW_INPUT: InputObject = { url: 'https://shop.example/product/preview-item' };

type Answer = { approved: boolean; autoSave: boolean; at: number };

export interface HealJob {
	id: string;
	collectorId: string;
	prompt: string;
	startedAt: number;
	gateAt: number;
	fails: boolean;
	testInputs: InputObject[];
	/** What the collector becomes when the change lands. */
	healed: CollectorSpec;
	answer?: Answer;
	cancelledAt?: number;
	/** Set once the job's end has been applied (settle). */
	settled?: boolean;
}

/** Fields named after "add" in the prompt ("add rating") join the collector's output. */
function addedFields(prompt: string): string[] {
	return [...prompt.toLowerCase().matchAll(/\badd (?:a |an |the )?([a-z][a-z0-9_]*)/g)].map((match) => match[1]);
}

/** The collector's code as the diff shows it: one extraction step per output field. */
function template(spec: CollectorSpec, selectorOf: (field: string) => string): JsonObject {
	return { steps: Object.keys(spec.outputFields).map((field): JsonObject => ({ name: `extract_${field}`, type: 'extract', field, selector: selectorOf(field) })) };
}

export class HealStore {
	private readonly jobs = new Map<string, HealJob>();
	private readonly devVersions = new Map<string, CollectorSpec>();

	constructor(
		private readonly clock: EmulatedClock,
		private readonly collectors: Map<string, CollectorSpec>,
		private readonly userEmail: string,
	) {}

	/** The heal of a collector that has not ended (running or at the gate): a second start gets 409. */
	active(collectorId: string): HealJob | undefined {
		const job = this.jobs.get(collectorId);
		return job && !this.ended(job) ? job : undefined;
	}

	/** Heals that hold one of the account's AI job slots: working ones; one waiting at the gate does not ([INF]). */
	running(): number {
		return [...this.jobs.values()].filter((job) => ['running', 'applying'].includes(this.phase(job))).length;
	}

	start(collector: CollectorSpec, prompt: string, testInputs: InputObject[], id: string): HealJob {
		const startedAt = this.clock.now();
		const fails = /\bfail\b/i.test(prompt);
		const added = Object.fromEntries(addedFields(prompt).map((field) => [field, 'text' as const]));
		const healed: CollectorSpec = { ...collector, brokenFields: [], outputFields: { ...collector.outputFields, ...added } };
		const job: HealJob = { id, collectorId: collector.id, prompt, startedAt, gateAt: startedAt + HEAL_SECONDS * 1000, fails, testInputs, healed };
		this.jobs.set(collector.id, job);
		return job;
	}

	/** Approve or reject at the gate; false when the job is not waiting there. */
	resume(collectorId: string, approved: boolean, autoSave: boolean): boolean {
		const job = this.active(collectorId);
		if (!job || this.phase(job) !== 'gate') return false;
		job.answer = { approved, autoSave, at: this.clock.now() };
		return true;
	}

	cancel(collectorId: string): boolean {
		const job = this.active(collectorId);
		if (!job) return false;
		job.cancelledAt = this.clock.now();
		return true;
	}

	/** The version `version=dev` runs, when an approved heal was not saved to production. */
	devVersion(collectorId: string): CollectorSpec | undefined {
		return this.devVersions.get(collectorId);
	}

	/** Lands the change of every heal that finished (called on each request). */
	settle(): void {
		for (const job of this.jobs.values()) {
			if (job.settled || this.phase(job) !== 'done') continue;
			job.settled = true;
			if (!job.answer?.approved) continue;
			if (job.answer.autoSave) {
				this.collectors.set(job.collectorId, job.healed);
				this.devVersions.delete(job.collectorId);
			} else {
				this.devVersions.set(job.collectorId, job.healed);
			}
		}
	}

	/** GET …/refactor_template/progress: `{step, completed_steps, status}`, plus `diff` and `preview_result` at the gate. */
	progress(collectorId: string): JsonObject | undefined {
		const job = this.jobs.get(collectorId);
		if (!job) return undefined;
		const phase = this.phase(job);
		const current = this.stepIndex(job);
		const base = { step: HEAL_STEPS[current], completed_steps: HEAL_STEPS.slice(0, current) };
		switch (phase) {
			case 'running':
				return { ...base, status: 'running' };
			case 'failed':
				return { ...base, status: 'failed' };
			case 'cancelled':
				return { ...base, status: 'cancelled' };
			case 'gate':
				return { step: GATE_STEP, completed_steps: [...HEAL_STEPS], status: 'pending_answer', diff: this.diff(job), preview_result: this.preview(job) };
			case 'applying':
				return { step: GATE_STEP, completed_steps: [...HEAL_STEPS], status: 'running' };
			case 'done':
				return { step: GATE_STEP, completed_steps: [...HEAL_STEPS, GATE_STEP], status: 'done' };
		}
	}

	private phase(job: HealJob): 'running' | 'failed' | 'cancelled' | 'gate' | 'applying' | 'done' {
		const now = this.clock.now();
		if (job.cancelledAt !== undefined) return 'cancelled';
		if (job.fails && now >= this.failsAt(job)) return 'failed';
		if (job.answer) return now >= job.answer.at + APPLY_SECONDS * 1000 ? 'done' : 'applying';
		return now >= job.gateAt ? 'gate' : 'running';
	}

	private ended(job: HealJob): boolean {
		return ['failed', 'cancelled', 'done'].includes(this.phase(job));
	}

	private failsAt(job: HealJob): number {
		return job.startedAt + ((job.gateAt - job.startedAt) * FAILING_STEP) / HEAL_STEPS.length;
	}

	private stepIndex(job: HealJob): number {
		const at = Math.min(this.clock.now(), job.cancelledAt ?? Infinity, job.fails ? this.failsAt(job) : Infinity);
		return Math.min(HEAL_STEPS.length - 1, Math.floor(((at - job.startedAt) / (job.gateAt - job.startedAt)) * HEAL_STEPS.length));
	}

	/** `template_a` is the code now, `template_b` the proposal: broken selectors replaced, asked-for fields added. */
	private diff(job: HealJob): JsonObject {
		const current = this.collectors.get(job.collectorId) ?? job.healed;
		const broken = new Set(current.brokenFields ?? []);
		return {
			title: `Self-heal: ${job.prompt.length > 80 ? `${job.prompt.slice(0, 79)}…` : job.prompt}`,
			user: this.userEmail,
			template_a: template(current, (field) => `.product-${field}`),
			template_b: template(job.healed, (field) => (broken.has(field) || !(field in current.outputFields) ? `[itemprop="${field}"]` : `.product-${field}`)),
		};
	}

	private preview(job: HealJob): JsonValue[] {
		const inputs = job.testInputs.length ? job.testInputs : [PREVIEW_INPUT];
		return inputs.flatMap((input) => rowsForInput(job.healed, input));
	}
}
