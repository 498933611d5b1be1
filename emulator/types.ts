/** Plain JSON values: everything the emulator receives or sends is one of these. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
	[key: string]: JsonValue;
}

/** One input object of a trigger body (e.g. `{"url":"https://…"}`). */
export type InputObject = JsonObject;

/** One row of a dataset / real-time result. */
export type Row = JsonObject;

/** A request after the server has read and parsed it. */
export interface ParsedRequest {
	method: string;
	path: string;
	/** Query parameters, already URL-decoded; the last value wins when a name repeats. */
	query: Record<string, string>;
	/** The parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
	body: JsonValue | string | undefined;
	/** True when a non-empty body failed to parse as JSON. */
	bodyIsInvalidJson: boolean;
	/** The Authorization header, only for the token check: never recorded or logged. */
	authorization?: string;
}

/** What a route answers; the server writes it (or a fault changes it first). */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	/** Buffer[]: a dataset in pieces, since no V8 string can hold a 1 GB dataset (strings stop at 512 MB). */
	body: string | Buffer | Buffer[];
}

/** One request as the tests see it. Headers are never stored, so no token can leak. */
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	body: JsonValue | string | undefined;
	/** Status sent; null while pending, and for dropped or hung requests. */
	status: number | null;
	/** Real wall-clock time of arrival, ISO. */
	time: string;
	/** Kind of the fault that shaped this answer, if any. */
	fault?: string;
}
