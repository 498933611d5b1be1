// Decompression uses the web-standard `DecompressionStream`: community nodes may not import `node:zlib`.

type DecodedBody = { text: string } | { invalid: string } | { tooLarge: number };

/** gzip's magic bytes: 1f 8b. */
export const isGzip = (bytes: Uint8Array): boolean => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** A zlib stream (what HTTP calls "deflate"): method 8 and a header pair that is a multiple of 31. */
const isZlib = (bytes: Uint8Array): boolean =>
	bytes.length >= 2 && (bytes[0] & 0x0f) === 8 && ((bytes[0] << 8) | bytes[1]) % 31 === 0;

const concat = (chunks: Uint8Array[], total: number): Uint8Array => {
	const result = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		result.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return result;
};

async function decompress(
	bytes: Uint8Array,
	format: 'gzip' | 'deflate',
	limit: number,
): Promise<{ data: Uint8Array } | { invalid: string } | { tooLarge: number }> {
	const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format)).getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return { data: concat(chunks, total) };
			total += value.byteLength;
			if (total > limit) {
				// Stop inflating at once: the rest is never produced.
				await reader.cancel();
				return { tooLarge: limit };
			}
			chunks.push(value);
		}
	} catch (error) {
		const detail = error instanceof Error ? error.message : String(error);
		return { invalid: `the body looks ${format}-compressed but could not be decompressed (${detail})` };
	}
}

// gzip is recognised by its magic bytes whatever the headers say: n8n has already gunzipped a body sent with
// `Content-Encoding: gzip`, and one sent without it arrives compressed. Deflate only when the header says so.
export async function decodeBody(bytes: Uint8Array, contentEncoding: string | undefined, limit: number): Promise<DecodedBody> {
	let data = bytes;
	const format = isGzip(data) ? 'gzip' : /\bdeflate\b/i.test(contentEncoding ?? '') && isZlib(data) ? 'deflate' : undefined;
	if (format) {
		const result = await decompress(data, format, limit);
		if (!('data' in result)) return result;
		data = result.data;
	}
	return { text: new TextDecoder('utf-8').decode(data) };
}
