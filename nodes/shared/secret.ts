import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether a token someone sent equals the expected secret, in constant time. Both sides are
 * hashed first, so timingSafeEqual always gets two 32-byte buffers: the time reveals neither the
 * secret's length, nor how much of it matched, and no input (non-ASCII, huge, an array from a
 * repeated query parameter) can make the comparison throw. Anything but a string never matches,
 * and an empty secret matches nothing.
 */
export function sameSecret(provided: unknown, expected: string): boolean {
	return matchesSecretHash(provided, secretHash(expected)) && expected !== '';
}

/** What is stored in place of a secret others can read (e.g. execution custom data): its SHA-256, base64url. */
export const secretHash = (secret: string): string => digest(secret).toString('base64url');

/** Whether a token someone sent hashes to `expectedHash` (secretHash), in constant time; anything but a string never matches. */
export function matchesSecretHash(provided: unknown, expectedHash: string): boolean {
	const expected = Buffer.from(expectedHash, 'base64url');
	const match = expected.length === 32 && timingSafeEqual(digest(typeof provided === 'string' ? provided : ''), expected);
	return typeof provided === 'string' && match;
}
