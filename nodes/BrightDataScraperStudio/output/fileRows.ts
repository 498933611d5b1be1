/** Turns the row texts of a dataset into the bytes of a JSON, NDJSON or CSV file, sorting out failed rows. */
import type { IBinaryData } from 'n8n-workflow';

import { isFailedRow, isObject, type Row } from '../../shared/rows';
import { isStatusObject } from '../../shared/snapshot/dataset';
import type { FailedRowsPolicy, OutputSettings } from '../options/output';
import { columnsOf, csvHeader, csvLine } from './csv';

/** CSV columns come from this many first rows (and the fields any dataset row may carry). */
export const CSV_HEADER_ROWS = 1000;
const ROW_FIELDS = ['input', 'error', 'error_code', 'warning', 'warning_code'];

/** A dataset written into n8n's binary data while it downloaded. */
export interface StreamedFile {
	binary: IBinaryData;
	/** Rows in the file. */
	rows: number;
	/** Rows of the dataset, failed ones included. */
	total: number;
	failedCount: number;
	/** The failed rows, parsed, when they go to the "Failed" output. */
	failed: Row[];
	/** CSV: fields first seen after the header was written (their values are not in the file). */
	columnsLeftOut: string[];
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const NEWLINE = Buffer.from('\n');

const parseRow = (bytes: Buffer): Row => JSON.parse(bytes.toString('utf8')) as Row;

/** A row's text parsed, or undefined when it is not JSON (the splitter only balances braces). */
function readRow(bytes: Buffer): Row | undefined {
	try {
		return parseRow(bytes);
	} catch {
		return undefined;
	}
}

/**
 * A row may have failed only if its text mentions "error (or hides a key behind a \u escape):
 * only those rows are parsed to check, the others go into the file as they are.
 */
const mayHaveFailed = (bytes: Buffer): boolean => bytes.includes('"error') || bytes.includes('\\u');

export function isStatusOnly(bytes: Buffer): boolean {
	const value: unknown = readRow(bytes);
	return isObject(value) && isStatusObject(value);
}

/** Turns row texts into file bytes in one format, sorting out failed rows by the policy. */
export class FileRows {
	rows = 0;
	total = 0;
	failedCount = 0;
	/** A row that had to be parsed was not JSON: the body is no dataset. */
	unreadable = false;
	readonly failed: Row[] = [];
	private readonly columnsLeftOut = new Set<string>();
	private out: Buffer[] = [];
	private columns: string[] | undefined;
	private known = new Set<string>();
	private headerRows: Row[] = [];

	constructor(
		private readonly format: OutputSettings['fileFormat'],
		private readonly policy: FailedRowsPolicy,
	) {}

	add(bytes: Buffer): void {
		if (this.unreadable) return;
		this.total++;
		let row: Row | undefined;
		if (this.format === 'csv' || mayHaveFailed(bytes)) {
			row = readRow(bytes);
			if (!row) {
				this.unreadable = true;
				return;
			}
			if (isFailedRow(row)) {
				this.failedCount++;
				if (this.policy === 'separate') this.failed.push(row);
				if (this.policy !== 'main') return;
			}
		}
		this.rows++;
		if (this.format === 'json') {
			this.out.push(this.rows === 1 ? OPEN : COMMA, bytes);
		} else if (this.format === 'ndjson') {
			// A pretty-printed array element spans lines: written again on one line.
			this.out.push(
				bytes.includes(0x0a) ? Buffer.from(JSON.stringify(row ?? parseRow(bytes))) : bytes,
				NEWLINE,
			);
		} else {
			this.addCsv(row!);
		}
	}

	private addCsv(row: Row): void {
		if (!this.columns) {
			this.headerRows.push(row);
			if (this.headerRows.length >= CSV_HEADER_ROWS) this.writeHeader(true);
			return;
		}
		for (const key of Object.keys(row)) if (!this.known.has(key)) this.columnsLeftOut.add(key);
		this.out.push(Buffer.from(csvLine(row, this.columns)));
	}

	private writeHeader(more: boolean): void {
		const seen = columnsOf(this.headerRows);
		// With more rows to come, the fields any dataset row may carry get a column too.
		const columns = more ? [...seen, ...ROW_FIELDS.filter((field) => !seen.includes(field))] : seen;
		this.columns = columns;
		this.known = new Set(columns);
		this.out.push(
			Buffer.from(
				csvHeader(columns) + this.headerRows.map((row) => csvLine(row, columns)).join(''),
			),
		);
		this.headerRows = [];
	}

	/** The file bytes produced since the last call; `final` closes the file. */
	take(final = false): Buffer | undefined {
		if (final) {
			if (this.format === 'json') this.out.push(this.rows ? CLOSE : Buffer.concat([OPEN, CLOSE]));
			if (this.format === 'csv' && !this.columns) this.writeHeader(false);
		}
		if (!this.out.length) return undefined;
		const bytes = Buffer.concat(this.out);
		this.out = [];
		return bytes;
	}

	result(binary: IBinaryData): StreamedFile {
		const { rows, total, failedCount, failed } = this;
		return { binary, rows, total, failedCount, failed, columnsLeftOut: [...this.columnsLeftOut] };
	}
}
