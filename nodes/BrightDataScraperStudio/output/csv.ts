import type { Row } from '../../shared/rows';

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line: the row's values in the order of `columns`, nested values as JSON text. */
export const csvLine = (row: Row, columns: string[]): string =>
	`${columns.map((column) => cell(row[column])).join(',')}\n`;

export const csvHeader = (columns: string[]): string => `${columns.map(cell).join(',')}\n`;

/** Every field of `rows`, in first-seen order. */
export const columnsOf = (rows: Row[]): string[] => [
	...new Set(rows.flatMap((row) => Object.keys(row))),
];

/** Rows as CSV: a header with every field seen, in first-seen order; nested values as JSON text. */
export function toCsv(rows: Row[]): string {
	const columns = columnsOf(rows);
	return csvHeader(columns) + rows.map((row) => csvLine(row, columns)).join('');
}
