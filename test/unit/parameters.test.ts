import type { IExecuteFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

import { withConstantParameters } from '../../nodes/BrightDataScraperStudio/parameters/constant';

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

describe('withConstantParameters', () => {
	test('a parameter without an expression is read from n8n once, whatever the item', () => {
		const { ctx, calls } = fakeContext({ fieldsToSend: 'all', options: { queueNext: false } });
		const params = withConstantParameters(ctx);
		for (let item = 0; item < 100; item++) {
			expect(params.getNodeParameter('fieldsToSend', item, 'all')).toBe('all');
			expect(params.getNodeParameter('options', item, {})).toEqual({ queueNext: false });
		}
		// The value and its raw form, once each per parameter.
		expect(calls.filter(({ name }) => name === 'fieldsToSend')).toHaveLength(2);
		expect(calls.filter(({ name }) => name === 'options')).toHaveLength(2);
	});

	test('a parameter with an expression, anywhere inside it, is read per item', () => {
		const { ctx } = fakeContext({ inputs: '={{ $json }}', options: { jobName: '={{ $json.job }}' } });
		const params = withConstantParameters(ctx);
		expect([0, 1, 2].map((item) => params.getNodeParameter('inputs', item))).toEqual(['{{ $json }}#0', '{{ $json }}#1', '{{ $json }}#2']);
		const { ctx: nested, calls } = fakeContext({ options: { jobName: '={{ $json.job }}' } });
		const nestedParams = withConstantParameters(nested);
		[0, 1, 2].forEach((item) => nestedParams.getNodeParameter('options', item, {}));
		expect(calls.filter(({ options }) => !options?.rawExpressions).map(({ itemIndex }) => itemIndex)).toEqual([0, 1, 2]);
	});

	test('another fallback or other read options go to n8n again', () => {
		const { ctx, calls } = fakeContext({});
		const params = withConstantParameters(ctx);
		expect(params.getNodeParameter('rowLimit', 0, 0)).toBe(0);
		expect(params.getNodeParameter('rowLimit', 1, 5)).toBe(5);
		params.getNodeParameter('rowLimit', 2, 5, { rawExpressions: true });
		params.getNodeParameter('rowLimit', 3, 5, { rawExpressions: true });
		expect(calls.filter(({ itemIndex }) => itemIndex >= 2)).toHaveLength(2);
	});
});
