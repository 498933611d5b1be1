import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { plural } from '../../shared/plural';
import { isObject } from '../../shared/rows';
import { apiRequest } from '../../shared/transport';
import { aiPath, type AiJobSpec } from './aiFlow';

/** The status of a heal that waits at the approval gate with its proposal (notes §3). */
export const AWAITING_APPROVAL = 'pending_answer';

/** Where to look when the node cannot tell what a heal is doing. */
const SEE_STATUS = (collectorId: string) =>
	`Get AI Status with collector ${collectorId} and AI Job "Self-Heal" shows where it is.`;

interface HealRequest {
	prompt: string;
	testInputs: IDataObject[];
}

/** Self-Heal: POST …/refactor_template, waited for until the proposal waits for approval (or the job ends). */
export function healJob(
	ctx: IExecuteFunctions,
	collectorId: string,
	request: HealRequest,
	timeoutSeconds: number,
	itemIndex: number,
): AiJobSpec {
	const heal = `The self-heal of collector "${collectorId}"`;
	return {
		kind: 'heal',
		label: 'self-heal',
		start: {
			path: aiPath(collectorId, 'refactor_template'),
			body: { prompt: request.prompt, custom_input: request.testInputs },
			action: 'self-heal start request',
			advice: `It was not sent again, so no second self-heal starts. ${SEE_STATUS(collectorId)}`,
			// One heal per collector: a second start while one runs or waits answers 409 (notes §4).
			conflict: () =>
				new NodeApiError(
					ctx.getNode(),
					{ error: 'Another refactor job is still in progress' } as JsonObject,
					{
						message: `A self-heal of collector "${collectorId}" is already running or waiting for approval`,
						description: `Bright Data runs one self-heal per collector at a time. If it waits for approval, answer it with Approve or Reject Heal; to drop it, use Cancel Heal; then run Self-Heal again. ${SEE_STATUS(collectorId)}`,
						httpCode: '409',
						itemIndex,
					},
				),
		},
		ready: (status) => status === AWAITING_APPROVAL || status === 'done',
		failed: (status, step) => ({
			message: `${heal} ended with status ${status} (step ${step})`,
			description:
				'Bright Data\'s AI could not repair the collector. Say in the prompt what is wrong and where, e.g. "The price is empty since the site changed; it now shows next to the Buy button", and run Self-Heal again.',
		}),
		notStarted: () => ({
			message: `${heal} did not start within ${timeoutSeconds} s`,
			description:
				'Bright Data runs at most 3 AI jobs per account at once; none was started for this item. Run Self-Heal again when one has finished, or raise the Timeout option.',
		}),
		notDone: (status) => ({
			message: `${heal} proposed no change within ${timeoutSeconds} s (status: ${status})`,
			description: `Bright Data keeps working on it (up to 15 minutes; it e-mails when the change is ready). Approve or Reject Heal answers it once it waits for approval; raise the Timeout option to wait longer. ${SEE_STATUS(collectorId)}`,
		}),
	};
}

/** Approve or Reject Heal: POST …/resume_automation_job, then waited for until done (or the next gate). */
export function resolveJob(
	collectorId: string,
	approve: boolean,
	saveToProduction: boolean,
	timeoutSeconds: number,
): AiJobSpec {
	const heal = `The self-heal of collector "${collectorId}"`;
	// Right after the answer the progress may still show the old gate: only a gate after another status is a new one.
	let movedOn = false;
	return {
		kind: 'heal',
		label: 'self-heal',
		start: {
			path: aiPath(collectorId, 'resume_automation_job'),
			body: { message: approve, ...(approve && saveToProduction ? { auto_save: true } : {}) },
			action: 'answer to the self-heal',
			advice: `It was not sent again. Bright Data answers 400 "Invalid ide automation" when no self-heal of the collector waits for approval (it ended, was cancelled or was answered already). ${SEE_STATUS(collectorId)}`,
		},
		ready: (status) => {
			if (status !== AWAITING_APPROVAL) movedOn = true;
			return status === 'done' || (status === AWAITING_APPROVAL && movedOn);
		},
		failed: (status, step) => ({
			message: `${heal} ended with status ${status} after the answer (step ${step})`,
			description: `The collector's production code is unchanged unless Scraper Studio shows otherwise. Run Self-Heal again to get a new proposal.`,
		}),
		notStarted: () => ({
			message: `${heal} did not take the answer within ${timeoutSeconds} s`,
			description: 'Run Approve or Reject Heal again; the proposal still waits for approval.',
		}),
		notDone: (status) => ({
			message: `${heal} was not done ${timeoutSeconds} s after the answer (status: ${status})`,
			description:
				status === AWAITING_APPROVAL
					? `Bright Data still shows the proposal waiting for approval. ${SEE_STATUS(collectorId)}`
					: `Bright Data took the answer and keeps working on it; do not answer again. ${SEE_STATUS(collectorId)}`,
		}),
	};
}

/** POST …/cancel_automation `{"type":"refactor"}`: resending a cancel is harmless, so it is retried. */
export async function cancelHeal(
	ctx: IExecuteFunctions,
	collectorId: string,
	itemIndex: number,
): Promise<void> {
	await apiRequest.call(ctx, {
		method: 'POST',
		path: aiPath(collectorId, 'cancel_automation'),
		body: { type: 'refactor' },
		retry: 'idempotent',
		subject: { collector: collectorId, itemIndex, action: 'request to cancel the self-heal' },
	});
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const stepName = (step: unknown, index: number): string => {
	const name = isObject(step) ? (step.name ?? step.id ?? step.type) : undefined;
	return typeof name === 'string' && name ? name : `step ${index + 1}`;
};

/** The steps of a template (`diff.template_a`/`template_b`) by name, in order. */
function stepsOf(template: unknown): Map<string, string> {
	return new Map(
		asList(isObject(template) ? template.steps : undefined).map((step, index) => [
			stepName(step, index),
			JSON.stringify(step),
		]),
	);
}

/** What a proposal changes, in words and as lists: steps changed, added and removed, and the preview rows' fields. */
export function describeProposal(progress: IDataObject): { summary: string; changes: IDataObject } {
	const diff = isObject(progress.diff) ? progress.diff : {};
	const [before, after] = [stepsOf(diff.template_a), stepsOf(diff.template_b)];
	const changed = [...after.keys()].filter(
		(name) => before.has(name) && before.get(name) !== after.get(name),
	);
	const added = [...after.keys()].filter((name) => !before.has(name));
	const removed = [...before.keys()].filter((name) => !after.has(name));
	const rows = asList(progress.preview_result).filter(isObject);
	const fields = [
		...new Set(rows.flatMap((row) => Object.keys(row).filter((field) => field !== 'input'))),
	];
	const empty = fields.filter((field) =>
		rows.every((row) => row[field] === null || row[field] === undefined || row[field] === ''),
	);
	const list = (names: string[]) => (names.length ? ` (${names.join(', ')})` : '');
	// The title last: it may be long (it can repeat the prompt), and the counts are what a reader looks for.
	const title =
		typeof diff.title === 'string' && diff.title ? `Bright Data's title: "${diff.title}".` : '';
	const summary = [
		`Proposed change: ${changed.length} of ${plural(before.size, 'step')} changed${list(changed)}, ${added.length} added${list(added)}, ${removed.length} removed${list(removed)}.`,
		`The preview produced ${plural(rows.length, 'row')}${fields.length ? ` with ${fields.join(', ')}` : ''}${empty.length ? `; still empty: ${empty.join(', ')}` : ''}.`,
		title,
	]
		.filter(Boolean)
		.join(' ');
	return {
		summary,
		changes: {
			steps_changed: changed,
			steps_added: added,
			steps_removed: removed,
			preview_fields: fields,
			preview_empty_fields: empty,
		},
	};
}
