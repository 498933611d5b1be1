/** GET /dca/collectors_list (API doc §7): the account's collectors with their output schema. */
import type { CollectorSpec } from '../collectors';
import type { EmulatorContext } from '../context';
import { intParam, json } from '../http';
import type { JsonObject, ParsedRequest, Reply } from '../types';

export function collectorsList(request: ParsedRequest, ctx: EmulatorContext): Reply {
	const search = request.query.search?.trim().toLowerCase() ?? '';
	const offset = Math.max(0, intParam(request.query.offset, 0));
	const limit = Math.min(500, Math.max(0, intParam(request.query.limit, 50)));
	const matching = [...ctx.collectors.values()].filter(
		(collector) => !search || collector.id.toLowerCase().includes(search) || collector.name.toLowerCase().includes(search),
	);
	const data = matching.slice(offset, offset + limit).map((collector) => collectorEntry(collector, ctx));
	return json(200, { total: matching.length, offset, limit, data });
}

function collectorEntry(collector: CollectorSpec, ctx: EmulatorContext): JsonObject {
	const lastRun = Math.max(...ctx.jobs.all().filter((job) => job.collector.id === collector.id).map((job) => job.createdAt));
	return {
		id: collector.id,
		name: collector.name,
		active: collector.active ?? true,
		// `last_run` only once the collector has run (documented as optional).
		...(Number.isFinite(lastRun) ? { last_run: ctx.clock.iso(lastRun) } : {}),
		deliver: { type: 'api_pull' },
		output_schema: collector.hideOutputSchema ? null : outputSchema(collector),
	};
}

function outputSchema(collector: CollectorSpec): JsonObject {
	const fields: JsonObject = {};
	for (const [name, type] of Object.entries(collector.outputFields)) {
		fields[name] = type === 'array' ? { type, active: true, items: { type: 'text' } } : { type, active: true };
	}
	return { type: 'object', fields };
}
