import { readDatasetStream } from '../../nodes/shared/snapshot/dataset';

/** The body as a download in two pieces (a cut inside the text is the reader's everyday case). */
async function* download(body: string): AsyncIterable<Uint8Array> {
	const bytes = Buffer.from(body);
	yield bytes.subarray(0, bytes.length >> 1);
	yield bytes.subarray(bytes.length >> 1);
}

const read = async (statusCode: number, body: string) => await readDatasetStream(statusCode, download(body));

describe('reading a dataset answer', () => {
	test('202 is pending whatever the status word, with the "try again" hint', async () => {
		expect(await read(202, '{"status":"collecting","message":"Dataset is not ready yet, try again in 12s"}')).toEqual({
			kind: 'pending',
			status: 'collecting',
			message: 'Dataset is not ready yet, try again in 12s',
			retryInSeconds: 12,
		});
		expect(await read(202, '{"status":"weird_new_word"}')).toMatchObject({ kind: 'pending', status: 'weird_new_word' });
		expect(await read(202, '')).toMatchObject({ kind: 'pending', status: 'building', retryInSeconds: undefined });
		expect(await read(202, '{"status":"building","message":"try again in XXs"}')).toMatchObject({ retryInSeconds: undefined });
	});

	test('200 with a status object, an empty body or null is pending too', async () => {
		expect(await read(200, '{"status":"building"}')).toMatchObject({ kind: 'pending', status: 'building' });
		expect(await read(200, '   ')).toMatchObject({ kind: 'pending' });
		expect(await read(200, 'null')).toMatchObject({ kind: 'pending' });
	});

	test('a pretty-printed status object is read as one, 202 and 200 alike', async () => {
		const status = JSON.stringify({ status: 'building', message: 'try again in 7s' }, null, 2);
		expect(await read(202, status)).toMatchObject({ kind: 'pending', status: 'building', retryInSeconds: 7 });
		expect(await read(200, status)).toMatchObject({ kind: 'pending', status: 'building', retryInSeconds: 7 });
	});

	test('a JSON array is ready', async () => {
		expect(await read(200, '[{"a":1,"input":{"url":"x"}},{"a":2}]')).toEqual({
			kind: 'ready',
			rows: [{ a: 1, input: { url: 'x' } }, { a: 2 }],
		});
		expect(await read(200, '[]')).toEqual({ kind: 'ready', rows: [] });
	});

	test('NDJSON is ready, blank lines skipped, one line included', async () => {
		expect(await read(200, '{"a":1}\n\n{"a":2}\n')).toEqual({ kind: 'ready', rows: [{ a: 1 }, { a: 2 }] });
		expect(await read(200, '{"a":1,"status":"ok","input":{"url":"x"}}\n')).toEqual({
			kind: 'ready',
			rows: [{ a: 1, status: 'ok', input: { url: 'x' } }],
		});
	});

	test('anything else is invalid', async () => {
		expect(await read(200, '<html>Bad gateway</html>')).toEqual({ kind: 'invalid', reason: 'the body is neither a JSON array nor NDJSON' });
		expect(await read(200, '{"a":1}\n{"a":')).toMatchObject({ kind: 'invalid' });
		expect(await read(200, '42')).toMatchObject({ kind: 'invalid' });
		expect(await read(200, '{"a":1} [{"a":2}]')).toMatchObject({ kind: 'invalid' });
		expect(await read(200, '{"a":1}\n"text"\n')).toMatchObject({ kind: 'invalid' });
	});
});
