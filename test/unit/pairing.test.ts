import { inputKey, pairRows } from '../../nodes/BrightDataScraperStudio/output/pairing';

describe('pairing rows to incoming items', () => {
	test('the input key ignores key order and null fields', () => {
		expect(inputKey({ b: 1, a: 'x' })).toBe(inputKey({ a: 'x', b: 1, c: null }));
		expect(inputKey({ a: { y: 1, x: 2 } })).toBe(inputKey({ a: { x: 2, y: 1 } }));
		expect(inputKey({ a: 1 })).not.toBe(inputKey({ a: '1' }));
	});

	test('the input key is the canonical JSON text, arrays and nesting included', () => {
		expect(inputKey({ b: [1, null, 'x', { d: null, c: [] }], a: { z: true, y: {} } })).toBe('{"a":{"y":{},"z":true},"b":[1,null,"x",{"c":[]}]}');
		expect(inputKey([])).toBe('[]');
		expect(inputKey(undefined)).toBe('null');
		expect(inputKey('a"b')).toBe('"a\\"b"');
	});

	test('flat inputs get the same key as the general path gives them', () => {
		expect(inputKey({ url: 'https://a', n: 1.5, ok: false, gone: null, skip: undefined, 'b"q': 'x\ny' })).toBe('{"b\\"q":"x\\ny","n":1.5,"ok":false,"url":"https://a"}');
		expect(inputKey({})).toBe('{}');
		expect(inputKey({ a: null })).toBe('{}');
		// One nested field takes the general path, with the same canonical text.
		expect(inputKey({ b: 'x', a: { d: 1, c: null } })).toBe('{"a":{"d":1},"b":"x"}');
	});

	test('an input nested 100,000 levels deep gets a key without overflowing the stack', () => {
		const depth = 100_000;
		const deep = JSON.parse(`${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`) as object;
		const key = inputKey(deep);
		expect(key.length).toBe(depth * 8 + 1);
		expect(key.startsWith('{"a":[{"a":[')).toBe(true);
		expect(pairRows([{ input: deep }], [{ itemIndex: 0, input: { url: 'x' } }, { itemIndex: 1, input: { url: 'y' } }])[0].pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
	});

	const inputs = [
		{ itemIndex: 0, input: { url: 'https://a' } },
		{ itemIndex: 1, input: { url: 'https://b', country: 'US' } },
		{ itemIndex: 2, input: { url: 'https://c' } },
	];

	test('each row links to the item whose input it echoes, in item order', () => {
		const rows = [
			{ n: 1, input: { url: 'https://c' } },
			{ n: 2, input: { country: 'US', url: 'https://b', keyword: null } },
			{ n: 3, input: { url: 'https://a' } },
			{ n: 4, input: { url: 'https://c' } },
		];
		expect(pairRows(rows, inputs).map(({ row, pairedItem }) => [row.n, pairedItem])).toEqual([
			[3, { item: 0 }],
			[2, { item: 1 }],
			[1, { item: 2 }],
			[4, { item: 2 }],
		]);
	});

	test('a row that echoes no known input links to every item of its job', () => {
		const [paired] = pairRows([{ n: 1, input: { url: 'https://unknown' } }], inputs);
		expect(paired.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	test('with a single item every row links to it', () => {
		const single = [
			{ itemIndex: 4, input: { url: 'x' } },
			{ itemIndex: 4, input: { url: 'y' } },
		];
		expect(pairRows([{ n: 1 }], single)[0].pairedItem).toEqual({ item: 4 });
	});

	test('the same input from two items links to the first', () => {
		const duplicate = [
			{ itemIndex: 0, input: { url: 'x' } },
			{ itemIndex: 1, input: { url: 'x' } },
		];
		expect(pairRows([{ input: { url: 'x' } }], duplicate)[0].pairedItem).toEqual({ item: 0 });
	});
});
