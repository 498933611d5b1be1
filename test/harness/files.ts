import type { INodeExecutionData } from 'n8n-workflow';

/** The text of a File output item's binary property, as n8n's default (in-memory) binary mode holds it. */
export const fileText = (item: INodeExecutionData, field = 'data'): string => Buffer.from(item.binary![field].data, 'base64').toString('utf8');

/** The rows of an NDJSON text, one object a line. */
export const ndjsonRows = (text: string): object[] => text.trim().split('\n').map((line) => JSON.parse(line) as object);
