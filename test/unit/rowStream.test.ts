import { parseRows, RowStreamParser } from '../../nodes/shared/snapshot/rowStream';

/** Feeds `text` as UTF-8 in chunks of `size` bytes (a cut may fall inside a character, as in a download). */
function parse(text: string, size = Infinity) {
	const parser = new RowStreamParser();
	const bytes = Buffer.from(text);
	for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size));
	return parser.end();
}

/** Bytes of an ASCII text, for tests that cut it at character positions. */
const ascii = (text: string) => Buffer.from(text, 'latin1');

const rows = [
	{ title: 'A "quoted" {brace} [bracket] \\ back\\slash', nested: { list: [1, { x: '}' }] }, input: { url: 'https://a' } },
	{ title: 'B', price: 2.5, tags: [], empty: {} },
	{ title: 'ü ✓ 😀', n: null },
];

describe('reading rows while they download', () => {
	test.each([1, 2, 3, 7, 64, 100000])('a JSON array cut every %i bytes gives the same rows', (size) => {
		expect(parse(` \n${JSON.stringify(rows, null, 1)}\n`, size)).toEqual({ kind: 'rows', rows });
	});

	test.each([1, 5, 100000])('NDJSON cut every %i bytes', (size) => {
		expect(parse(`${rows.map((row) => JSON.stringify(row)).join('\n')}\n\n`, size)).toEqual({ kind: 'rows', rows });
	});

	test.each([1, 2, 100000])('a leading UTF-8 byte-order mark cut every %i bytes is skipped, JSON and NDJSON; a torn one is not', (size) => {
		expect(parse(`\uFEFF${JSON.stringify(rows)}`, size)).toEqual({ kind: 'rows', rows });
		expect(parse(`\uFEFF${rows.map((row) => JSON.stringify(row)).join('\n')}\n`, size)).toEqual({ kind: 'rows', rows });
		expect(parse('\uFEFF')).toEqual({ kind: 'empty' });
		const torn = Buffer.concat([Buffer.from([0xef, 0xbb]), Buffer.from(JSON.stringify(rows))]);
		const parser = new RowStreamParser();
		parser.push(torn);
		expect(parser.end()).toEqual({ kind: 'invalid' });
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

describe('long strings and lines are read in one pass, whatever the chunk size', () => {
	// 1 MB of text with every character JSON escapes or that could confuse a scanner.
	const long = Array.from({ length: 1 << 20 }, (_, index) => 'ab"\\{}[]\n\tü😀\u0001/'[index % 16]).join('');
	const row = { title: long, after: 'x', input: { url: 'https://a' } };
	const array = JSON.stringify([row, { title: 'small' }]);
	const ndjson = `${JSON.stringify(row)}\n{"title":"small"}\n`;

	test.each([1, 2, 3, 17, 1024, 65536])('a 1 MB string in a JSON array, cut every %i bytes', (size) => {
		const result = parse(array, size);
		expect(result.kind).toBe('rows');
		expect(result.kind === 'rows' && result.rows[0].title === long).toBe(true);
		expect(result.kind === 'rows' && result.rows.slice(1)).toEqual([{ title: 'small' }]);
	});

	test.each([1, 2, 3, 17, 1024, 65536])('a 1 MB NDJSON line, cut every %i bytes', (size) => {
		const result = parse(ndjson, size);
		expect(result.kind === 'rows' && result.rows.length).toBe(2);
		expect(result.kind === 'rows' && result.rows[0].title === long).toBe(true);
	});

	test('a backslash at the end of a chunk escapes the first character of the next', () => {
		const text = '[{"a":"x\\"]}"},{"b":"\\\\"}]';
		const at = text.indexOf('\\');
		for (const cut of [at, at + 1, text.lastIndexOf('\\'), text.lastIndexOf('\\') - 1]) {
			const parser = new RowStreamParser();
			parser.push(ascii(text.slice(0, cut)));
			parser.push(ascii(text.slice(cut)));
			expect([cut, parser.end()]).toEqual([cut, { kind: 'rows', rows: [{ a: 'x"]}' }, { b: '\\' }] }]);
		}
	});

	test('a \\uXXXX escape split at every position', () => {
		const text = '[{"a":"\\u007d\\u0022\\uD83D\\uDE00]"}]';
		for (let cut = 1; cut < text.length; cut++) {
			const parser = new RowStreamParser();
			parser.push(ascii(text.slice(0, cut)));
			parser.push(ascii(text.slice(cut)));
			expect([cut, parser.end()]).toEqual([cut, { kind: 'rows', rows: [{ a: '}"😀]' }] }]);
		}
	});

	test('a line split across many chunks of different sizes, with CRLF line ends', () => {
		const lines = ['{"a":"first"}', JSON.stringify({ b: 'y'.repeat(5000) }), '{"c":"\\n[not a line end]"}'];
		const text = `${lines.join('\r\n')}\r\n`;
		const parser = new RowStreamParser();
		for (let at = 0, size = 1; at < text.length; at += size, size = (size * 7) % 97 || 1) parser.push(ascii(text.slice(at, at + size)));
		expect(parser.end()).toEqual({ kind: 'rows', rows: lines.map((line) => JSON.parse(line)) });
	});

	test('a body that starts like null but is not, whatever the cut', () => {
		expect(parse('nul', 1)).toEqual({ kind: 'invalid' });
		expect(parse('null x', 2)).toEqual({ kind: 'invalid' });
		expect(parse('n\nu', 1)).toEqual({ kind: 'invalid' });
		expect(parse(' nu', 1)).toEqual({ kind: 'invalid' });
		expect(parse(' null\n', 1)).toEqual({ kind: 'empty' });
	});
});

describe('parseRows: a body in memory', () => {
	test('stops one row past maxRows, and reads pretty-printed objects and NDJSON alike', () => {
		const ndjson = Array.from({ length: 10 }, (_, a) => JSON.stringify({ a })).join('\n');
		expect(parseRows(ndjson, 3)).toEqual({ kind: 'rows', rows: [{ a: 0 }, { a: 1 }, { a: 2 }, { a: 3 }] });
		expect(parseRows(ndjson)).toMatchObject({ kind: 'rows', rows: { length: 10 } });
		expect(parseRows('{\n  "status": "building"\n}')).toEqual({ kind: 'object', value: { status: 'building' } });
	});
});
