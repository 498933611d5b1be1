import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import { constantParameterReader } from '../../nodes/BrightDataScraperStudio/parameters/constant';

/** A context whose raw parameters are `raw`; an expression ("=…") resolves to "<value>#<item>". */
function fakeContext(raw: Record<string, unknown>) {
	const calls: Array<{ name: string; itemIndex: number; options?: IGetNodeParameterOptions }> = [];
	const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown, options?: IGetNodeParameterOptions) => {
		calls.push({ name, itemIndex, options });
		const value = name in raw ? raw[name] : fallback;
		if (options?.rawExpressions || typeof value !== 'string' || !value.startsWith('=')) return value;
		return `${value.slice(1)}#${itemIndex}`;
	};
	const ctx = { getNodeParameter, getNode: () => ({ name: 'Scraper' }) } as unknown as IExecuteFunctions;
	return { ctx, calls };
}

describe('constantParameterReader', () => {
	test('a parameter without an expression is read from n8n once, whatever the item', () => {
		const { ctx, calls } = fakeContext({ fieldsToSend: 'all', options: { queueNext: false } });
		const read = constantParameterReader(ctx);
		for (let item = 0; item < 100; item++) {
			expect(read('fieldsToSend', item, 'all')).toBe('all');
			expect(read('options', item, {})).toEqual({ queueNext: false });
		}
		// The value and its raw form, once each per parameter.
		expect(calls.filter(({ name }) => name === 'fieldsToSend')).toHaveLength(2);
		expect(calls.filter(({ name }) => name === 'options')).toHaveLength(2);
	});

	test('a parameter with an expression, anywhere inside it, is read per item', () => {
		const { ctx } = fakeContext({ inputs: '={{ $json }}', options: { jobName: '={{ $json.job }}' } });
		const read = constantParameterReader(ctx);
		expect([0, 1, 2].map((item) => read('inputs', item))).toEqual(['{{ $json }}#0', '{{ $json }}#1', '{{ $json }}#2']);
		const { ctx: nested, calls } = fakeContext({ options: { jobName: '={{ $json.job }}' } });
		const nestedRead = constantParameterReader(nested);
		[0, 1, 2].forEach((item) => nestedRead('options', item, {}));
		expect(calls.filter(({ options }) => !options?.rawExpressions).map(({ itemIndex }) => itemIndex)).toEqual([0, 1, 2]);
	});

	test('another fallback or extractValue goes to n8n again', () => {
		const { ctx, calls } = fakeContext({ collector: 'c_abc' });
		const read = constantParameterReader(ctx);
		expect(read('rowLimit', 0, 0)).toBe(0);
		expect(read('rowLimit', 1, 5)).toBe(5);
		// A read with extractValue is its own value: n8n's answer differs for a resource locator.
		read('collector', 2, '');
		read('collector', 3, '', { extractValue: true });
		read('collector', 4, '', { extractValue: true });
		expect(calls.filter(({ itemIndex, options }) => itemIndex >= 2 && !options?.rawExpressions).map(({ itemIndex }) => itemIndex)).toEqual([2, 3]);
	});
});
