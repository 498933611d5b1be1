import type { Row } from '../../shared/rows';

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV: a header with every field seen, in first-seen order; nested values as JSON text. */
export function toCsv(rows: Row[]): string {
	const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
	const lines = [columns.map(cell).join(',')];
	for (const row of rows) lines.push(columns.map((column) => cell(row[column])).join(','));
	return `${lines.join('\n')}\n`;
}
