import nock from 'nock';

export const API = 'https://api.brightdata.test';

/** nock hygiene for a test file: no real network, no interceptor left over for the next file. */
export function useNock(): typeof nock {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => {
		nock.enableNetConnect();
		nock.restore();
	});
	return nock;
}
