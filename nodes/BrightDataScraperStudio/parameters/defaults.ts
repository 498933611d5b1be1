/**
 * Defaults shared by the parameter descriptions and the code that reads them. A leaf module:
 * it imports nothing, so no import cycle can leave these undefined while a description loads.
 */

/**
 * Bright Data documents no limit on inputs per trigger, and its CLI sends all of its URLs in one
 * (API notes §10). The node sends at most this many in one job, so a request body stays about a MB
 * (10,000 inputs of about 100 bytes), and starts several jobs above it. Every extra job costs a trigger
 * and a download: at 5,000 items, five jobs of 1,000 took the node's busy time from 1.6× to 2.2×
 * n8n's HTTP Request node on the same rows (bench/RESULTS.md, cost per item).
 */
export const DEFAULT_INPUTS_PER_JOB = 10_000;
export const DEFAULT_TIMEOUT_SECONDS = 900;

/** An AI agent waits for its tool before it answers, so as a tool Trigger and Wait gives up sooner. */
export const DEFAULT_TOOL_TIMEOUT_SECONDS = 300;

/** Run Real-Time and Crawl: how many inputs run at once, and the bounds the editor and the node both hold. */
export const DEFAULT_REALTIME_CONCURRENCY = 5;
export const REALTIME_CONCURRENCY = { default: DEFAULT_REALTIME_CONCURRENCY, min: 1, max: 50 };
/** Run Real-Time and Crawl: the longest wait for each input's result, in seconds. */
export const DEFAULT_REALTIME_TIMEOUT_SECONDS = 180;
export const REALTIME_TIMEOUT_SECONDS = { default: DEFAULT_REALTIME_TIMEOUT_SECONDS, min: 1, max: 3600 };
/** Crawl: how long Bright Data holds the request (its documented 25–50 s). */
export const DEFAULT_CRAWL_TIMEOUT_SECONDS = 50;
export const CRAWL_TIMEOUT_SECONDS = { default: DEFAULT_CRAWL_TIMEOUT_SECONDS, min: 25, max: 50 };

/** Create with AI: Bright Data documents 5 to 15 minutes, up to 25 on complex targets; 30 leaves room. */
export const DEFAULT_AI_TIMEOUT_SECONDS = 1800;

/** Self-Heal and Approve or Reject Heal: Bright Data documents "up to 15 minutes" to the proposal; 20 leaves room. */
export const DEFAULT_HEAL_TIMEOUT_SECONDS = 1200;
