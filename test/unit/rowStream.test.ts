import { RowStreamParser } from '../../nodes/BrightDataScraperStudio/helpers/rowStream';

/** Feeds `text` in chunks of `size` characters. */
function parse(text: string, size = text.length) {
	const parser = new RowStreamParser();
	for (let at = 0; at < text.length; at += size) parser.push(text.slice(at, at + size));
	return parser.end();
}

const rows = [
	{ title: 'A "quoted" {brace} [bracket] \\ back\\slash', nested: { list: [1, { x: '}' }] }, input: { url: 'https://a' } },
	{ title: 'B', price: 2.5, tags: [], empty: {} },
	{ title: 'ü ✓ 😀', n: null },
];

describe('reading rows while they download', () => {
	test.each([1, 2, 3, 7, 64, 100000])('a JSON array cut every %i characters gives the same rows', (size) => {
		expect(parse(` \n${JSON.stringify(rows, null, 1)}\n`, size)).toEqual({ kind: 'rows', rows });
	});

	test.each([1, 5, 100000])('NDJSON cut every %i characters', (size) => {
		expect(parse(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n\n`, size)).toEqual({ kind: 'rows', rows });
	});

	test('empty, null and [] bodies', () => {
		expect(parse('')).toEqual({ kind: 'empty' });
		expect(parse('  null ')).toEqual({ kind: 'empty' });
		expect(parse('[]')).toEqual({ kind: 'rows', rows: [] });
	});

	test('one object is reported as such (a status object or a one-line NDJSON body)', () => {
		expect(parse('{"status":"building"}', 3)).toEqual({ kind: 'object', value: { status: 'building' } });
	});

	test('torn or malformed bodies are invalid', () => {
		expect(parse(JSON.stringify(rows).slice(0, -5), 10)).toEqual({ kind: 'invalid' });
		expect(parse('{"a":1}\n{"a":', 4)).toEqual({ kind: 'invalid' });
		expect(parse('[{"a":1}] trailing')).toEqual({ kind: 'invalid' });
		expect(parse('[{"a":1},{"a":}]')).toEqual({ kind: 'invalid' });
		expect(parse('<html>')).toEqual({ kind: 'invalid' });
	});

	test('values that are not objects are left out of an array', () => {
		expect(parse('[1, "x", {"a":1}, [2], null]', 2)).toEqual({ kind: 'rows', rows: [{ a: 1 }] });
	});
});
