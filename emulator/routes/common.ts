/** Checks shared by the trigger endpoints: collector lookup and input-schema validation. */
import type { CollectorSpec } from '../collectors';
import type { EmulatorContext } from '../context';
import { errorJson, isObject } from '../http';
import type { InputObject, JsonValue, ParsedRequest, Reply } from '../types';

export type Checked<T> = { ok: true; value: T } | { ok: false; reply: Reply };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = <T>(reply: Reply): Checked<T> => ({ ok: false, reply });

/** `?collector=` → the collector, or 400 (missing) / 404 "Collector not found". */
export function findCollector(request: ParsedRequest, ctx: EmulatorContext): Checked<CollectorSpec> {
	const id = request.query.collector;
	if (!id) return fail(errorJson(400, 'Missing collector parameter'));
	const collector = ctx.collectors.get(id);
	return collector ? ok(collector) : fail(errorJson(404, 'Collector not found'));
}

/** Why one input does not fit the collector's input schema (undefined = it fits). */
export function inputProblem(collector: CollectorSpec, input: JsonValue, label: string): string | undefined {
	if (!isObject(input)) return `${label} must be a JSON object`;
	const allowed = [...collector.inputFields, ...(collector.optionalFields ?? [])];
	const unknown = Object.keys(input).find((field) => !allowed.includes(field));
	if (unknown !== undefined) return `${label} has unknown field "${unknown}"; the collector's input fields are: ${allowed.join(', ')}`;
	const missing = collector.inputFields.find((field) => input[field] === undefined || input[field] === null || input[field] === '');
	if (missing !== undefined) return `${label} is missing required field "${missing}"`;
	return undefined;
}

/** POST /dca/trigger body: a non-empty JSON array of inputs matching the schema (else 400 / 422). */
export function batchInputs(request: ParsedRequest, collector: CollectorSpec): Checked<InputObject[]> {
	if (request.bodyIsInvalidJson) return fail(errorJson(400, 'Request body is not valid JSON'));
	const { body } = request;
	if (!Array.isArray(body)) return fail(errorJson(400, 'Request body must be a JSON array of inputs'));
	if (body.length === 0) return fail(errorJson(400, 'Request body contains no inputs'));
	for (const [index, input] of body.entries()) {
		const problem = inputProblem(collector, input, `Input #${index + 1}`);
		if (problem) return fail(errorJson(422, problem));
	}
	return ok(body as InputObject[]);
}

/** Real-time body: exactly one input object (else 400 / 422). */
export function singleInput(request: ParsedRequest, collector: CollectorSpec): Checked<InputObject> {
	if (request.bodyIsInvalidJson) return fail(errorJson(400, 'Request body is not valid JSON'));
	const { body } = request;
	if (!isObject(body)) return fail(errorJson(400, 'Request body must be a single JSON input object'));
	const problem = inputProblem(collector, body, 'Input');
	return problem ? fail(errorJson(422, problem)) : ok(body);
}
