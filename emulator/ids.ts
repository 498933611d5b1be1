import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Random lowercase alphanumerics, like Bright Data's IDs. */
export function randomAlnum(length: number): string {
	return Array.from(randomBytes(length), (byte) => ALPHABET[byte % ALPHABET.length]).join('');
}

/** Batch job / collection ID, e.g. `j_ma13y9ay1piehrso8r`. */
export const newJobId = (): string => `j_${randomAlnum(18)}`;

/** Real-time response ID in the newer `d…` form, e.g. `d2t1786372370082rjv3f11k9v18`. */
export const newResponseId = (): string => `d${randomAlnum(2)}t${Date.now()}r${randomAlnum(10)}`;
