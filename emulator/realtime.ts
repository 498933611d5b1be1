/**
 * Real-time requests (`/dca/trigger_immediate`, `/dca/crawl`): one input each, answered through
 * `/dca/get_result?response_id=…`. Readiness is derived from the emulated clock like batch jobs.
 */
import type { EmulatedClock } from './clock';
import { runMs, type CollectorSpec } from './collectors';
import { newResponseId } from './ids';
import { realtimeRows } from './rows';
import type { InputObject, JsonValue } from './types';

export interface RealtimeResponse {
	readonly id: string;
	readonly collector: CollectorSpec;
	readonly input: InputObject;
	readonly via: 'trigger_immediate' | 'crawl';
	/** Emulated epoch ms. */
	readonly createdAt: number;
	/** Infinity when the collector never finishes. */
	readonly readyAt: number;
}

/** Real-time results are kept 7 days. */
const RETENTION_MS = 7 * 24 * 3600 * 1000;

export class RealtimeStore {
	private readonly responses = new Map<string, RealtimeResponse>();
	/** Emulated arrival times of recent trigger_immediate calls, for the per-minute limit. */
	private recentTriggers: number[] = [];

	constructor(private readonly clock: EmulatedClock) {}

	create(collector: CollectorSpec, input: InputObject, via: RealtimeResponse['via']): RealtimeResponse {
		const createdAt = this.clock.now();
		const response: RealtimeResponse = { id: newResponseId(), collector, input, via, createdAt, readyAt: createdAt + runMs(collector, 1) };
		this.responses.set(response.id, response);
		return response;
	}

	/** Known and not past retention. */
	get(id: string): RealtimeResponse | undefined {
		const response = this.responses.get(id);
		if (!response) return undefined;
		return this.clock.now() >= response.createdAt + RETENTION_MS ? undefined : response;
	}

	all(): RealtimeResponse[] {
		return [...this.responses.values()];
	}

	isReady(response: RealtimeResponse): boolean {
		return this.clock.now() >= response.readyAt;
	}

	/** Emulated ms left until ready (Infinity when never). */
	msLeft(response: RealtimeResponse): number {
		return Math.max(0, response.readyAt - this.clock.now());
	}

	/** The 200 body: an array of rows, or a single object for legacy scrapers. */
	result(response: RealtimeResponse): JsonValue {
		const rows = realtimeRows(response.collector, response.input);
		return response.collector.legacyResult ? (rows[0] ?? {}) : rows;
	}

	/** Counts one trigger_immediate call; false when it exceeds `limit` per emulated minute. */
	admit(limit: number): boolean {
		const now = this.clock.now();
		this.recentTriggers = this.recentTriggers.filter((time) => now - time < 60_000);
		if (this.recentTriggers.length >= limit) return false;
		this.recentTriggers.push(now);
		return true;
	}
}
