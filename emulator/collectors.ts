/**
 * The emulated collectors, in one table. Each entry is a Scraper Studio collector (scraper) as the
 * API would see it: its input schema, how long a job takes, what rows it produces, and any quirk
 * the node has to survive. Tests pick a collector by the behaviour they need.
 */
import type { FaultKind, FaultMatch } from './faults';
import type { InputObject, JsonValue } from './types';

/** Field types as `collectors_list` reports them in `output_schema.fields`. */
export type FieldType = 'text' | 'number' | 'price' | 'url' | 'boolean' | 'array';

/** `error_code` values from Bright Data's "Error codes" page. */
export type ErrorCode =
	| 'dead_page'
	| 'bad_input'
	| 'blocked'
	| 'crawl_error'
	| 'parse_error'
	| 'navigation_timeout'
	| 'deadline_timeout'
	| 'aborted_page'
	| 'page_too_big';

/** What happens to one input instead of (or on top of) normal data. */
export type InputIssue =
	| { kind: 'error'; error: string; error_code: ErrorCode; status_code?: number }
	| { kind: 'warning'; warning: string; warning_code: string };

/**
 * How /dca/log reports a running job: 'moving' counters and job_time that follow the job;
 * 'missing' only id, status and timestamps; 'inconsistent' every other answer reports an earlier
 * moment (counters go back) and pages_left above pages.
 */
export type LogProgress = 'moving' | 'missing' | 'inconsistent';

/**
 * Bright Data's quickstart: 1–10 inputs take 30–90 s, 11–100 inputs 2–5 minutes, more "5+ minutes".
 */
export function quickstartSeconds(inputs: number): number {
	if (inputs <= 10) return 30 + ((Math.max(1, inputs) - 1) * 60) / 9;
	if (inputs <= 100) return 120 + ((inputs - 11) * 180) / 89;
	return 300 + 3 * (inputs - 100);
}

/** Emulated seconds a job runs (after leaving the queue); null = the job never finishes. */
export type ReadySeconds = number | ((inputCount: number) => number) | null;

/** A fault applied to the requests about each job of a collector (e.g. its dataset polls). */
export type CollectorFault = Omit<FaultMatch, 'collector' | 'jobId'> & FaultKind;

export interface CollectorSpec {
	/** `c_` + lowercase alphanumerics. */
	id: string;
	name: string;
	/** Delivery mode: a 'realtime' collector refuses POST /dca/trigger. */
	mode: 'batch' | 'realtime';
	/** Required input fields; missing or empty → 422. */
	inputFields: string[];
	/** Accepted but optional input fields (omitted = null). Anything else → 422. */
	optionalFields?: string[];
	/** Output schema: drives `collectors_list` and the generated row values. */
	outputFields: Record<string, FieldType>;
	/** Emulated run time of a batch job, or of one real-time request (inputCount 1). */
	readySeconds: ReadySeconds;
	/** Data rows per successful input (default 1; 0 = the job finishes with no rows). */
	rowsPerInput?: number;
	/** Fixed values for some fields of a row, derived from the input (the rest is generated). */
	makeRow?: (input: InputObject, rowIndex: number) => Record<string, JsonValue>;
	/** Per-input failures and warnings (default: `issuesFromKeywords`). */
	issues?: (input: InputObject) => InputIssue | undefined;
	/** Data preference "only successful results": error rows are left out of the dataset. */
	omitErrorRows?: boolean;
	/** Word in the 202 body while pending; 'alternate' flips building/collecting on each poll. */
	statusWord?: 'building' | 'collecting' | 'alternate';
	/** Quirk: answer 200 with the status object instead of 202 while pending. */
	pendingAs200?: boolean;
	/**
	 * Whether the pending answer says "try again in N s" (default: the emulator's `pendingHint`,
	 * true). Without it the body is the quickstart's bare `{"status":"building"}`.
	 */
	pendingHint?: boolean;
	/** /dca/log progress fields (default: the emulator's `logProgress`, 'moving'). */
	logProgress?: LogProgress;
	/** Finished jobs of earlier days that /dca/collector/jobs lists: input counts, oldest first. */
	history?: number[];
	/** Quirk: the dataset is NDJSON even when the client asks for format=json. */
	alwaysNdjson?: boolean;
	/** Final job status; 'failed' jobs serve `[]` and keep the detail in hp_errors. */
	outcome?: 'done' | 'failed';
	/** The snapshot expires this many emulated seconds after it finished (default 16 days). */
	expiresAfterSeconds?: number;
	/** Pages one input generates; above 51 a real-time request yields the page-limit error row. */
	pagesPerInput?: number;
	/** Old-style real-time scraper: get_result answers one object instead of an array. */
	legacyResult?: boolean;
	/** `collectors_list` shows `output_schema: null` (older collectors). */
	hideOutputSchema?: boolean;
	/** Shown as `active` in `collectors_list` (default true). */
	active?: boolean;
	/** Reports start_eta this many emulated seconds off the truth (a wrong or skewed clock at Bright Data). */
	startEtaErrorSeconds?: number;
	/** False for a collector made by POST /dca/collector until its AI job is done: /dca/trigger answers 403. */
	hasTemplate?: boolean;
	/** The target site changed under these fields: rows give them as null until a heal repairs them. */
	brokenFields?: string[];
	/** Faults applied to every job of this collector (each job gets its own counter). */
	faults?: CollectorFault[];
}

/**
 * Default per-input rule, looking at every string value of the input (url, keyword…):
 * "404" → dead page, "blocked" → blocked, "fail" → crawl error, "warn" → data plus a warning.
 */
export function issuesFromKeywords(input: InputObject): InputIssue | undefined {
	const text = Object.values(input)
		.filter((value): value is string => typeof value === 'string')
		.join(' ')
		.toLowerCase();
	if (text.includes('404')) return { kind: 'error', error: 'Page not found (404)', error_code: 'dead_page', status_code: 404 };
	if (text.includes('blocked')) return { kind: 'error', error: 'Request was blocked by the target site', error_code: 'blocked', status_code: 403 };
	if (text.includes('fail')) return { kind: 'error', error: 'Crawl failed: connection reset by target', error_code: 'crawl_error', status_code: 500 };
	if (text.includes('warn')) return { kind: 'warning', warning: 'Some fields failed validation', warning_code: 'validation' };
	return undefined;
}

/** "https://shop/product/echo-portable-speaker" → "Echo Portable Speaker". */
export function titleFromUrl(url: JsonValue): string {
	const slug = String(url ?? '').split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'item';
	return slug
		.split(/[-_]+/)
		.filter(Boolean)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

const PRODUCT_FIELDS: Record<string, FieldType> = {
	title: 'text',
	price: 'price',
	currency: 'text',
	availability: 'text',
	url: 'url',
};

const productRow = (input: InputObject): Record<string, JsonValue> => ({
	url: input.url,
	title: titleFromUrl(input.url),
	currency: 'USD',
	availability: 'in stock',
});

export const COLLECTORS: CollectorSpec[] = [
	{
		// The everyday case: one url per input, ready in ~20 emulated seconds.
		id: 'c_products01',
		name: 'Products',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 20,
		makeRow: productRow,
	},
	{
		// Two required input fields, one optional; two rows per input.
		id: 'c_search02',
		name: 'Search results',
		mode: 'batch',
		inputFields: ['keyword', 'country'],
		optionalFields: ['max_results'],
		outputFields: { keyword: 'text', country: 'text', rank: 'number', title: 'text', url: 'url', snippet: 'text' },
		readySeconds: (inputs) => 10 + 5 * inputs,
		rowsPerInput: 2,
		makeRow: (input, rowIndex) => ({
			keyword: input.keyword,
			country: input.country,
			rank: rowIndex + 1,
			url: `https://search.example/${encodeURIComponent(String(input.keyword))}/${rowIndex + 1}`,
		}),
	},
	{
		// Delivery mode Real-time: /dca/trigger answers the documented error; use trigger_immediate.
		id: 'c_realtime03',
		name: 'Realtime product lookup',
		mode: 'realtime',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 3,
		makeRow: productRow,
	},
	{
		// Minutes per job: exercises the node's wait timeout and the crawl 202 fallback.
		id: 'c_slow04',
		name: 'Slow crawler',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: (inputs) => 600 + 60 * inputs,
		statusWord: 'collecting',
		makeRow: productRow,
	},
	{
		// Never finishes; its status word flips between polls (seen live).
		id: 'c_stuck05',
		name: 'Stuck job',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: null,
		statusWord: 'alternate',
		makeRow: productRow,
	},
	{
		// Delivery format NDJSON: the dataset is NDJSON even with format=json.
		id: 'c_ndjson06',
		name: 'NDJSON export',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 5,
		alwaysNdjson: true,
		makeRow: productRow,
	},
	{
		// The job fails: status "failed" in /dca/log, dataset `[]`, detail only in hp_errors.
		id: 'c_failing07',
		name: 'Failing job',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 15,
		outcome: 'failed',
		makeRow: productRow,
	},
	{
		// Snapshots expire one emulated minute after they finish.
		id: 'c_expiring08',
		name: 'Short retention',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 5,
		expiresAfterSeconds: 60,
		makeRow: productRow,
	},
	{
		// Each job's first two dataset polls answer 503 with Retry-After (a 5xx burst).
		id: 'c_flaky09',
		name: 'Flaky API',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 5,
		makeRow: productRow,
		faults: [{ kind: 'status', status: 503, path: '/dca/dataset', times: 2, headers: { 'Retry-After': '1' } }],
	},
	{
		// While pending, answers 200 with a status object instead of 202 (CLI-documented quirk).
		id: 'c_quirky10',
		name: 'Status object while pending',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 10,
		statusWord: 'collecting',
		pendingAs200: true,
		makeRow: productRow,
	},
	{
		// Old-style real-time scraper: get_result answers a single object; no published schema.
		id: 'c_legacy11',
		name: 'Legacy realtime scraper',
		mode: 'realtime',
		inputFields: ['url'],
		outputFields: { line_1: 'text' },
		readySeconds: 2,
		legacyResult: true,
		hideOutputSchema: true,
		active: false,
	},
	{
		// 501 pages per input: fine in batch, page-limit error row in real time.
		id: 'c_deep12',
		name: 'Deep crawler',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 10,
		pagesPerInput: 501,
		makeRow: productRow,
	},
	{
		// Finishes with no rows at all: dataset `[]` (or an empty NDJSON body).
		id: 'c_empty13',
		name: 'Empty results',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 5,
		rowsPerInput: 0,
	},
	{
		// The quickstart's timings and its bare pending answer (no hint); 20 pages per input whose
		// progress shows in /dca/log; a history of earlier jobs for /dca/collector/jobs.
		id: 'c_quickstart15',
		name: 'Quickstart timings',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: (inputs) => quickstartSeconds(inputs) - 1,
		pendingHint: false,
		pagesPerInput: 20,
		history: [1, 5, 10, 25, 100],
		makeRow: productRow,
	},
	{
		// The site changed: price comes back null until a self-heal repairs it (the self-healing example).
		id: 'c_drifted16',
		name: 'Products (site changed)',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 20,
		makeRow: productRow,
		brokenFields: ['price'],
	},
	{
		// Data preference "only successful results": failed inputs leave no row.
		id: 'c_onlyok14',
		name: 'Successful results only',
		mode: 'batch',
		inputFields: ['url'],
		outputFields: PRODUCT_FIELDS,
		readySeconds: 5,
		omitErrorRows: true,
		makeRow: productRow,
	},
];

/** Emulated run time in ms for `inputCount` inputs (Infinity when the job never finishes). */
export function runMs(collector: CollectorSpec, inputCount: number): number {
	const { readySeconds } = collector;
	if (readySeconds === null) return Infinity;
	const seconds = typeof readySeconds === 'function' ? readySeconds(inputCount) : readySeconds;
	return seconds * 1000;
}
