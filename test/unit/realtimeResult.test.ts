import { readRealtimeResult } from '../../nodes/BrightDataScraperStudio/jobs/realtime';

const read = (body: string, statusCode = 200) => readRealtimeResult({ statusCode, body });

describe('reading a real-time result with the dataset reader', () => {
	test('pending: a 202, an empty or null body, or {"pending": true}', () => {
		expect(read('[{"a":1}]', 202)).toBeUndefined();
		expect(read('')).toBeUndefined();
		expect(read(' null ')).toBeUndefined();
		expect(read('{"pending":true}')).toBeUndefined();
		expect(read('{\n  "pending": true\n}')).toBeUndefined();
	});

	test('rows: an array (objects only), NDJSON, or the one object of an older collector', () => {
		expect(read('[{"a":1},2,{"b":2}]')).toEqual([{ a: 1 }, { b: 2 }]);
		expect(read('{"a":1}\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
		expect(read('{"a":1,"pending":false}')).toEqual([{ a: 1, pending: false }]);
	});

	test('a body that is no rows is not taken for rows', () => {
		expect(read('<html>busy</html>')).toBeUndefined();
		expect(read('42')).toBeUndefined();
	});
});
