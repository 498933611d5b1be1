import { timing } from '../../nodes/shared/timing';
import {
	MAX_ATTEMPTS,
	parseRetryAfter,
	retryDelayMs,
	shouldRetryNetworkError,
	shouldRetryStatus,
} from '../../nodes/shared/transport/retry';

describe('retry policy', () => {
	beforeAll(() => (timing.msPerSecond = 1000));

	test.each([429, 500, 502, 503, 504])('reads retry %i', (status) => {
		expect(shouldRetryStatus(status, 'idempotent')).toBe(true);
	});

	test.each([400, 401, 403, 404, 422])('never retries %i', (status) => {
		expect(shouldRetryStatus(status, 'idempotent')).toBe(false);
		expect(shouldRetryStatus(status, 'neverResend')).toBe(false);
	});

	test('the trigger is not resent after a gateway error that may have reached the API', () => {
		expect(shouldRetryStatus(502, 'neverResend')).toBe(false);
		expect(shouldRetryStatus(504, 'neverResend')).toBe(false);
		expect(shouldRetryStatus(503, 'neverResend')).toBe(true);
		expect(shouldRetryStatus(429, 'neverResend')).toBe(true);
	});

	test('the trigger is resent only after failures before sending', () => {
		expect(shouldRetryNetworkError('ECONNREFUSED', 'neverResend')).toBe(true);
		expect(shouldRetryNetworkError('ENOTFOUND', 'neverResend')).toBe(true);
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', undefined]) {
			expect(shouldRetryNetworkError(code, 'neverResend')).toBe(false);
			expect(shouldRetryNetworkError(code, 'idempotent')).toBe(true);
		}
	});

	test('Retry-After is read as seconds or an HTTP date', () => {
		expect(parseRetryAfter('7')).toBe(7);
		expect(parseRetryAfter(3)).toBe(3);
		const now = Date.parse('2026-01-01T00:00:00Z');
		expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});

	test('backoff doubles with jitter between half and the full step', () => {
		expect(retryDelayMs(1, undefined, () => 0)).toBe(500);
		expect(retryDelayMs(1, undefined, () => 1)).toBe(1000);
		expect(retryDelayMs(3, undefined, () => 0)).toBe(2000);
		expect(retryDelayMs(3, undefined, () => 1)).toBe(4000);
		expect(retryDelayMs(20, undefined, () => 1)).toBe(30000);
	});

	test('Retry-After wins over the backoff when longer, up to a minute; the backoff is the floor', () => {
		expect(retryDelayMs(1, 12, () => 1)).toBe(12000);
		expect(retryDelayMs(1, 0, () => 1)).toBe(1000);
		expect(retryDelayMs(3, 0.1, () => 0)).toBe(2000);
		expect(retryDelayMs(1, 3600, () => 1)).toBe(60000);
	});

	test('a bounded number of attempts', () => {
		expect(MAX_ATTEMPTS).toBeGreaterThan(1);
		expect(MAX_ATTEMPTS).toBeLessThanOrEqual(6);
	});
});
