/**
 * Shared pieces of the reliability suite: what a test spent at the emulator, whether every input
 * of an execution is accounted for, a garbage collector for memory checks, and a recorder for
 * everything n8n logs.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy, type INodeExecutionData, type IPairedItemData } from 'n8n-workflow';

import type { Emulator, RecordedRequest } from '../../emulator/server';
import { SCRAPER, type RunResult } from '../harness/workflow';

/** What the emulator saw since a mark: requests, trigger POSTs, and jobs it created (billed). */
export interface Spent {
	requests: RecordedRequest[];
	/** POST /dca/trigger requests received (accepted or not). */
	triggers: number;
	/** Batch jobs the emulator created: each one is a billed job. */
	jobs: number;
	/** Real-time requests the emulator created (trigger_immediate / crawl). */
	responses: number;
}

export function mark(api: Emulator): () => Spent {
	const start = { requests: api.requests.length, jobs: api.jobs.length, responses: api.responses.length };
	return () => {
		const requests = api.requests.slice(start.requests);
		return {
			requests,
			triggers: requests.filter(({ method, path }) => method === 'POST' && path === '/dca/trigger').length,
			jobs: api.jobs.length - start.jobs,
			responses: api.responses.length - start.responses,
		};
	};
}

const pairedIndices = (item: INodeExecutionData): number[] =>
	[item.pairedItem ?? []]
		.flat()
		.map((paired) => (typeof paired === 'number' ? paired : (paired as IPairedItemData).item));

/** Incoming item indices that no output item (on any output) is linked to. */
export function unaccounted(result: RunResult, itemCount: number, node = SCRAPER): number[] {
	const covered = new Set(result.outputOf(node).flat().flatMap(pairedIndices));
	return Array.from({ length: itemCount }, (_, index) => index).filter((index) => !covered.has(index));
}

/** Everything a run produced that a user or an operator could see, as one string. */
export function visibleText(result: RunResult): string {
	const { error } = result;
	return JSON.stringify({
		items: result.outputOf(SCRAPER),
		error: error && { message: error.message, description: error.description, context: error.context },
		runData: result.run.data.resultData.runData,
	});
}

/** The garbage collector, exposed at run time (jest does not start node with --expose-gc). */
export function garbageCollector(): () => void {
	const existing = (globalThis as { gc?: () => void }).gc;
	if (existing) return existing;
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

/** heapUsed after a full collection, in MB. */
export function settledHeapMb(gc: () => void): number {
	gc();
	return process.memoryUsage().heapUsed / 1024 / 1024;
}

export interface LogRecord {
	source: 'LoggerProxy' | 'Logger';
	level: string;
	message: unknown;
	meta: unknown;
}

const LEVELS = ['error', 'warn', 'info', 'debug', 'verbose', 'silly'] as const;

/**
 * Records every call to n8n's two loggers, at every level: n8n-workflow's LoggerProxy (used by
 * WorkflowExecute) and n8n-core's DI Logger (what nodes get as `this.logger`). Restores both.
 */
export function recordN8nLogs(): { records: LogRecord[]; restore: () => void } {
	const records: LogRecord[] = [];
	const recorder = (source: LogRecord['source']) => {
		const logger: Record<string, unknown> = {};
		for (const level of LEVELS) logger[level] = (message: unknown, meta?: unknown) => records.push({ source, level, message, meta });
		logger.scoped = () => logger;
		return logger;
	};
	const previous = Container.has(Logger) ? Container.get(Logger) : undefined;
	LoggerProxy.init(recorder('LoggerProxy') as never);
	Container.set(Logger, recorder('Logger') as never);
	return {
		records,
		restore: () => {
			if (previous) Container.set(Logger, previous);
		},
	};
}

/** A markdown table. */
export function markdownTable(header: string[], rows: string[][]): string {
	const escape = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
	return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}
