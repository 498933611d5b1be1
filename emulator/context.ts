/** What every route handler gets: the emulator's state and settings. */
import type { AiFlowStore } from './aiFlow';
import type { EmulatedClock } from './clock';
import type { CollectorSpec, LogProgress } from './collectors';
import type { HealStore } from './heal';
import type { JobStore } from './jobs';
import type { RealtimeStore } from './realtime';
import type { ParsedRequest, Reply } from './types';

export interface Settings {
	/** Expired snapshots answer 404, or 200 `[]` (the quickstart's reading). */
	expiredResponse: '404' | 'emptyArray';
	/** /dca/dataset body when no `format=json` is sent. */
	datasetDefaultFormat: 'ndjson' | 'json';
	/** Status of a successful trigger_immediate (docs: 200, live: 202). */
	triggerImmediateStatus: 200 | 202;
	/** trigger_immediate calls allowed per emulated minute before 429. */
	triggerImmediateLimitPerMinute: number;
	/** /dca/log keys: all lowercase (live reports) or the documented mixed case (`Id`, `Status`…). */
	logKeys: 'lowercase' | 'documented';
	/** Default for collectors that do not say: pending answers carry "try again in N s". */
	pendingHint: boolean;
	/** Default for collectors that do not say: how /dca/log reports progress. */
	logProgress: LogProgress;
	/** Account e-mail shown as `trigger` in /dca/log and job lists. */
	userEmail: string;
}

export interface EmulatorContext {
	clock: EmulatedClock;
	collectors: Map<string, CollectorSpec>;
	jobs: JobStore;
	ai: AiFlowStore;
	heals: HealStore;
	realtime: RealtimeStore;
	settings: Settings;
	/** Aborted on close, so long-polls stop waiting. */
	closing: AbortSignal;
}

export type RouteHandler = (request: ParsedRequest, ctx: EmulatorContext, params: string[]) => Reply | Promise<Reply>;

export interface Route {
	method: 'GET' | 'POST';
	/** Anchored pattern; capture groups become `params`. */
	path: RegExp;
	handler: RouteHandler;
}

/** Emulated epoch ms → ISO string (null for "never"). */
export function iso(time: number | undefined): string | null {
	return time !== undefined && Number.isFinite(time) ? new Date(time).toISOString() : null;
}
