import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

// Constant time: both sides are hashed first, so timingSafeEqual gets two 32-byte buffers (the time reveals neither
// length nor how much matched) and no input can make it throw. An empty secret matches nothing.
export function sameSecret(provided: unknown, expected: string): boolean {
	return matchesSecretHash(provided, secretHash(expected)) && expected !== '';
}

/** What is stored in place of a secret others can read (e.g. execution custom data): its SHA-256, base64url. */
export const secretHash = (secret: string): string => digest(secret).toString('base64url');

/** Whether a token someone sent hashes to `expectedHash` (secretHash), in constant time; anything but a string never matches. */
export function matchesSecretHash(provided: unknown, expectedHash: string): boolean {
	const expected = Buffer.from(expectedHash, 'base64url');
	const match =
		expected.length === 32 &&
		timingSafeEqual(digest(typeof provided === 'string' ? provided : ''), expected);
	return typeof provided === 'string' && match;
}
