import type { IDataObject } from 'n8n-workflow';

/** A dataset row, as Bright Data returns it (it echoes its `input`). */
export type Row = IDataObject;

/** A JSON object (not an array, not null): what a row, an input or a notification must be. */
export const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A row for an input Bright Data could not scrape carries `error` or `error_code`. */
export const isFailedRow = (row: Row): boolean => Boolean(row.error || row.error_code);
