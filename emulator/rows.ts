/**
 * Deterministic row data: the same collector and input always give the same rows, so tests can
 * compare values across runs and reruns.
 */
import { createHash } from 'node:crypto';

import { issuesFromKeywords, type CollectorSpec, type ErrorCode, type FieldType, type InputIssue } from './collectors';
import type { InputObject, JsonValue, Row } from './types';

/** Bright Data's real-time fan-out cap. */
export const REALTIME_PAGE_LIMIT = 51;

function seededNumber(...parts: unknown[]): number {
	const digest = createHash('sha1').update(JSON.stringify(parts)).digest();
	return digest.readUInt32BE(0);
}

function generatedValue(field: string, type: FieldType, seed: number): JsonValue {
	const tag = seed.toString(36).slice(0, 6);
	switch (type) {
		case 'number':
			return seed % 1000;
		case 'price':
			return Math.round(100 + (seed % 99_900)) / 100;
		case 'url':
			return `https://example.com/${field}/${tag}`;
		case 'boolean':
			return seed % 2 === 0;
		case 'array':
			return [`${field} ${tag} 1`, `${field} ${tag} 2`];
		case 'text':
			return `${field} ${tag}`;
	}
}

function dataRow(collector: CollectorSpec, input: InputObject, rowIndex: number): Row {
	const row: Row = {};
	for (const [field, type] of Object.entries(collector.outputFields)) {
		row[field] = generatedValue(field, type, seededNumber(collector.id, input, rowIndex, field));
	}
	const broken = Object.fromEntries((collector.brokenFields ?? []).map((field) => [field, null]));
	return { ...row, ...collector.makeRow?.(input, rowIndex), ...broken, input };
}

/** The row an input leaves when it did not produce data (failure, cancel, deadline). */
export function errorRow(input: InputObject, error: string, errorCode: ErrorCode, statusCode?: number): Row {
	const row: Row = { input, error, error_code: errorCode };
	if (statusCode !== undefined) row.status_code = statusCode;
	return row;
}

/** The collector's verdict on one input (undefined = plain data). */
export function inputIssue(collector: CollectorSpec, input: InputObject): InputIssue | undefined {
	return (collector.issues ?? issuesFromKeywords)(input);
}

/** True when this input fails (and so has no data rows). */
export function inputFails(collector: CollectorSpec, input: InputObject): boolean {
	return inputIssue(collector, input)?.kind === 'error';
}

/** Rows one finished input contributes to a batch dataset, in order. */
export const rowsForInput = (collector: CollectorSpec, input: InputObject): Row[] => [...rowsOfInput(collector, input)];

/** The same rows one at a time: a bench collector gives a million rows for one input. */
export function* rowsOfInput(collector: CollectorSpec, input: InputObject): Generator<Row> {
	const issue = inputIssue(collector, input);
	if (issue?.kind === 'error') {
		if (!collector.omitErrorRows) yield errorRow(input, issue.error, issue.error_code, issue.status_code);
		return;
	}
	const warning: Row = issue?.kind === 'warning' ? { warning: issue.warning, warning_code: issue.warning_code } : {};
	for (let index = 0; index < (collector.rowsPerInput ?? 1); index++) yield { ...dataRow(collector, input, index), ...warning };
}

/** Rows of one real-time request: like batch, except the 51-page cap applies. */
export function realtimeRows(collector: CollectorSpec, input: InputObject): Row[] {
	const pages = collector.pagesPerInput ?? 1;
	if (pages > REALTIME_PAGE_LIMIT) {
		return [{ input, error: `Request generated ${pages} pages and exceeded realtime job limit of ${REALTIME_PAGE_LIMIT} pages` }];
	}
	return rowsForInput(collector, input);
}
