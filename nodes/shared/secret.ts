import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** What is stored in place of a secret others can read (e.g. execution custom data): its SHA-256, base64url. */
export const secretHash = (secret: string): string => digest(secret).toString('base64url');

// Constant time: both sides are hashed, so timingSafeEqual gets two 32-byte buffers (the time reveals neither length
// nor how much matched) and no input can make it throw. Anything but a string never matches.
export function matchesSecretHash(provided: unknown, expectedHash: string): boolean {
	const expected = Buffer.from(expectedHash, 'base64url');
	const isText = typeof provided === 'string';
	const match = expected.length === 32 && timingSafeEqual(digest(isText ? provided : ''), expected);
	return isText && match;
}

/** The same against a secret in clear; an empty secret matches nothing. */
export const sameSecret = (provided: unknown, expected: string): boolean =>
	matchesSecretHash(provided, secretHash(expected)) && expected !== '';
