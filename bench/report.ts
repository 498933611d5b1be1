/** Renders a bench run as Markdown: the tables (also printed) and RESULTS.md around them. */
import { inputsPerJob } from '../nodes/BrightDataScraperStudio/options/trigger';
import { BASELINE_LABEL, type BigSummary } from './parts/bigDatasets';
import type { DelaySummary } from './parts/delay';
import { httpRequestAvailable, ITEMS_LABEL, type ItemCostSummary } from './parts/itemCost';
import { ALL_JOBS, FIXED_LABEL, SITUATIONS } from './parts/schedule';
import {
	BIG_MEMORY_TARGET,
	BIG_TARGET_ROWS,
	BIG_TIME_TARGET,
	bigTargets,
	checkTargets,
	itemCostTargets,
	pairOf,
	perRow,
	perRowGrowth,
	type BenchResults,
	type BenchSettings,
	type Target,
} from './results';
import { marked, type PartRun } from './sections';

const DEFAULT_INPUTS_PER_JOB = inputsPerJob.default;

export const ITEM_COST_SECTION = 'item-cost';
export const BIG_SECTION = 'big-datasets';

/** Peak memory of one big-dataset case at the target size, × payload. */
const bigRatio = (big: BigSummary[], label: string) => big.find((row) => row.rows === BIG_TARGET_ROWS && row.label === label)?.memoryRatio ?? NaN;

const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** How many jobs Trigger and Wait starts for this many items with the default Inputs per Job. */
function jobsFor(items: number): string {
	const jobs = Math.ceil(items / DEFAULT_INPUTS_PER_JOB);
	return `${jobs} job${jobs === 1 ? '' : 's'}`;
}
const mb = (bytes: number) => f(bytes / 1e6, 0);
/** A ratio, or a dash where there is none (a failed case, or a failed baseline). */
const times = (value: number, digits = 2) => (Number.isFinite(value) ? `${f(value, digits)}×` : '—');
const count = (value: number) => value.toLocaleString('en');
const verdict = (met: boolean) => (met ? 'met' : '**MISSED**');

function table(header: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function targetRows(targets: Target[]): string {
	return table(
		['Target', 'Measured', 'Verdict'],
		targets.map(({ name, measured, met }) => [name, measured, verdict(met)]),
	);
}

export const targetsTable = (results: BenchResults): string => targetRows(checkTargets(results));

/** A section written by a part run alone: when, at what load, and that part's own targets. */
function partRunNote(part: string, run: PartRun | undefined, targets: Target[]): string {
	if (!run) return '';
	return `

Produced by \`npm run bench -- --only=${part}\` (this section only): git ${run.code}, ${run.date}, 1-minute load average
${f(run.load[0], 1)} at the start and ${f(run.load[1], 1)} at the end of the part. Its targets in that run:

${targetRows(targets)}`;
}

export function scheduleTable(results: BenchResults): string {
	return table(
		['Situation', 'Jobs ready after', 'Contender', 'Jobs', 'Median delay (s)', 'p95 (s)', 'Median lag of the answer with the rows (s)', 'Requests per job', 'of which /dca/log', "Requests vs the quickstart's"],
		results.schedule.map((row) => {
			const { quick } = pairOf(results, row.situation, row.range);
			return [
				SITUATIONS.find(({ key }) => key === row.situation)!.label,
				row.range === ALL_JOBS ? `all (${results.settings.scheduleRange.join('–')} s)` : row.range,
				row.label,
				String(row.jobs),
				f(row.delayMedian),
				f(row.delayP95),
				f(row.answerLagMedian),
				f(row.requestsPerJob, 1),
				f(row.logRequestsPerJob, 1),
				`${f(row.totalRequests / quick.totalRequests)}×`,
			];
		}),
	);
}

/**
 * A fixed 1 s loop is never more than a second (plus a round trip) late: when its p95 is far above
 * that, timers fired late on this machine and the delays of the run describe the machine.
 */
function loadNote(results: BenchResults): string {
	const fixed = results.schedule.filter(({ label }) => label === FIXED_LABEL);
	const worst = Math.max(...fixed.map(({ delayP95 }) => delayP95));
	if (worst <= 1.5) return '';
	const { load, cores } = results.machine;
	return `**Load on this run.** The fixed 1 s loop's p95 delay reached ${f(worst)} s, where it cannot exceed about a second:
this process's timers fired seconds late (1-minute load average ${f(load[0], 1)} at the start, ${f(load[1], 1)} at the end, on
${cores} cores). The delays of this run measure the machine as much as the schedules; the request counts do not depend
on it. \`test/unit/pollSchedule.test.ts\` replays the same kind of jobs on the emulator's model without the machine and
checks the targets there.

`;
}

export function manyTable(results: BenchResults): string {
	const [node, perItem] = results.many;
	const rows = results.many.map((row) => [
		row.label,
		row.items.toLocaleString('en'),
		row.rows.toLocaleString('en'),
		row.triggerCalls.toLocaleString('en'),
		row.apiCalls.toLocaleString('en'),
		f(row.apiSeconds, 1),
		f(row.tailRealSeconds, 2),
		f(row.wallRealSeconds, 1),
	]);
	rows.push([
		'Ratio (one job per item ÷ node)',
		'',
		'',
		`${f(perItem.triggerCalls / node.triggerCalls, 0)}×`,
		`${f(perItem.apiCalls / node.apiCalls, 0)}×`,
		`${f(perItem.apiSeconds / node.apiSeconds, 1)}×`,
		'',
		`${f(perItem.wallRealSeconds / node.wallRealSeconds, 1)}×`,
	]);
	return table(
		[
			'Contender',
			'Items',
			'Rows out',
			'Trigger calls',
			'API calls',
			`Time to last answer (emulated s, timeScale ${results.settings.manyTimeScale})`,
			'Processing after it (real s)',
			'Wall time (real s)',
		],
		rows,
	);
}

export function itemCostTable(itemCost: ItemCostSummary[]): string {
	return table(
		['Items (rows)', 'Contender', 'Busy CPU time (ms, median)', 'µs per item', '× HTTP Request node', '× bare', 'Peak RSS growth (MB)'],
		itemCost.map((row) => [
			row.items.toLocaleString('en'),
			row.label,
			f(row.busyMs, 0),
			f(row.usPerItem, 1),
			Number.isFinite(row.vsHttp) ? `${f(row.vsHttp)}×` : 'n/a',
			`${f(row.vsBare)}×`,
			mb(row.peakGrowthBytes),
		]),
	);
}

/** The node's µs per item at each size: flat means linear growth. */
function itemGrowth(itemCost: ItemCostSummary[]): string {
	const node = itemCost.filter(({ label }) => label === ITEMS_LABEL);
	return node.map(({ items, usPerItem }) => `${f(usPerItem, 0)} µs at ${items.toLocaleString('en')}`).join(', ');
}

export function bigTable(big: BigSummary[]): string {
	return table(
		['Rows', 'Case', 'Payload (MB)', 'Runs', 'Time (ms, median)', '× baseline', 'Peak RSS growth (MB)', '× payload', `Time ≤ ${BIG_TIME_TARGET}×`, `Memory ≤ ${BIG_MEMORY_TARGET}×`],
		big.map((row) => {
			const judged = row.rows === BIG_TARGET_ROWS && row.label !== BASELINE_LABEL;
			return [
				count(row.rows),
				row.label,
				mb(row.payloadBytes),
				String(row.runs),
				row.failure ? `**cannot**: ${row.failure}${Number.isFinite(row.ms) ? `, after ${f(row.ms, 0)} ms` : ''}` : f(row.ms, 0),
				times(row.timeRatio),
				mb(row.peakGrowthBytes),
				times(row.memoryRatio, 1),
				judged ? verdict(row.timeRatio <= BIG_TIME_TARGET) : '',
				judged ? verdict(row.memoryRatio <= BIG_MEMORY_TARGET) : '',
			];
		}),
	);
}

/** Each case's time and peak memory per row at every size, and how they change from the target size to the largest. */
export function bigGrowthTable(big: BigSummary[]): string {
	const sizes = [...new Set(big.map(({ rows }) => rows))];
	const largest = count(Math.max(...sizes));
	const atSizes = sizes.map(count).join(' / ');
	const at = (label: string, figure: 'ms' | 'peakGrowthBytes') =>
		sizes.map((rows) => f(perRow(big.find((row) => row.rows === rows && row.label === label), figure), 0)).join(' / ');
	return table(
		[
			'Case',
			`µs per row at ${atSizes}`,
			`Peak growth, bytes per row at ${atSizes}`,
			`Time per row, ${largest} ÷ ${count(BIG_TARGET_ROWS)}`,
			`Memory per row, ${largest} ÷ ${count(BIG_TARGET_ROWS)}`,
		],
		[...new Set(big.map(({ label }) => label))].map((label) => {
			const growth = perRowGrowth(big, label);
			return [label, at(label, 'ms'), at(label, 'peakGrowthBytes'), times(growth.time), times(growth.memory)];
		}),
	);
}

/** The range of the node cases' per-row time growth, for the text. */
function growthRange(big: BigSummary[]): string {
	const ratios = [...new Set(big.map(({ label }) => label))]
		.filter((label) => label !== BASELINE_LABEL)
		.map((label) => perRowGrowth(big, label).time)
		.filter(Number.isFinite);
	return ratios.length ? `${f(Math.min(...ratios))}×–${f(Math.max(...ratios))}×` : 'n/a (no case ran at both sizes)';
}

export function realtimeTable(results: BenchResults): string {
	const [node, poller] = results.realtime;
	const rows = results.realtime.map((row: DelaySummary) => [
		row.label,
		f(row.delayMedian),
		f(row.delayP95),
		f(row.realScaleMedian),
		f(row.realScaleP95),
		f(row.requestsPerJob, 1),
	]);
	rows.push(['Ratio (1 s polling ÷ node)', '', '', '', '', `${f(poller.totalRequests / node.totalRequests, 1)}×`]);
	return table(
		[
			'Contender',
			`Median delay, measured at timeScale ${results.settings.realtimeTimeScale} (s)`,
			'p95 (s)',
			'Median, real-scale estimate (s)',
			'p95 (s)',
			'Requests per result',
		],
		rows,
	);
}

/** The tables, as printed at the end of a run. */
export function printedTables(results: BenchResults): string {
	return [
		'Targets',
		targetsTable(results),
		'',
		'1. Delay after ready and requests (batch)',
		scheduleTable(results),
		'',
		'2. Many inputs',
		manyTable(results),
		'',
		'2b. Cost per item',
		itemCostTable(results.itemCost),
		'',
		'3. Big datasets',
		bigTable(results.big),
		'',
		'3. Growth per row',
		bigGrowthTable(results.big),
		'',
		'4. Real-time',
		realtimeTable(results),
	].join('\n');
}

export function resultsMarkdown(results: BenchResults): string {
	const { machine: m, settings: s } = results;
	return `# Benchmark results

Produced by \`npm run bench\` (bench/run.ts) in one process run of ${f(results.totalSeconds, 0)} s, every contender
side by side against the Scraper Studio emulator on 127.0.0.1. Figures are medians over several jobs or runs, or
ratios taken within this run; never compared with an older run. Run it again to refresh this file.

**Node code:** git ${results.code}. **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB memory, Node ${m.node}, ${m.os}. **Date:** ${m.date}.
**Load:** 1-minute load average ${f(m.load[0], 1)} at the start, ${f(m.load[1], 1)} at the end${
		Math.max(...m.load) > m.cores ? ' — other processes were competing for the cores, so wall times (sections 2 and 3) are noisier than on an idle machine' : ''
	}.

![chart](chart.svg)

## Targets

${targetsTable(results)}

## 1. Delay after ready and requests (batch jobs)

${s.scheduleJobs} jobs per situation and contender, ready ${s.scheduleRange[0]}–${s.scheduleRange[1]} s after the trigger, spread log-uniformly
(as many jobs of 3–30 s as of 30–300 s; the quickstart's typical 30–90 s for 1–10 inputs sits in the middle), fractions of
a second spread too. **Every job of every contender and situation runs at the same time, at the emulator's real time
scale (timeScale 1)**: one emulated second is one real second, so no overhead is magnified and the 1 s floor and the
5 s sleeps are real; the whole part lasts about as long as the longest job (5 minutes) instead of the sum of all jobs.
Each contender has its own job of each ready time. Delay = rows in hand − dataset ready (the job's finish time on the
emulator's clock); the lag of the answer with the rows stops at the moment the emulator sent that answer, so it shows the
schedule without the processing after it (download, parsing, the n8n engine, this process's event loop on a busy machine).
Requests per job = the trigger, every GET /dca/dataset and every GET /dca/log/{id} for that job.

Situations: **with the hint** (the pending answer says "try again in N s", N = the seconds left rounded up);
**without the hint** (the quickstart's bare \`{"status":"building"}\`). Each is summarised over all jobs and over three
job lengths: 3–25 s, the quickstart's typical 25–90 s, and 90–300 s.

${scheduleTable(results)}

- **Trigger and Wait** runs through n8n-core's \`WorkflowExecute\` in this process (test/harness/workflow.ts), default
  options. Its schedule is nodes/shared/snapshot/pollSchedule.ts.
- **Bright Data's quickstart loop** is the official starter's logic (API notes §10): sleep 5 s, \`GET /dca/dataset\`,
  ready = a non-empty JSON array, up to 60 polls.
- **Fixed 1 s loop**: one check a second from the trigger on (what Apify-style nodes do).

${loadNote(results)}**With the hint.** Whole-second hints say the finish lies in (N−1, N] s. The node waits the hint in full (no cap), and
spends one extra check half a second before the middle of that second: its own hint (1 or 2) says which half the finish
is in, so the last check lands at most half a second late (median about 0.25 s) for about 3 checks a job. Without that
split check no schedule that keeps one second between checks gets the median under 0.5 s: the delay is then uniform
over the second.

**Without the hint.** Nothing tells the node when the job ends, so any schedule trades delay for requests. The node
checks every Poll Interval (default 5 s) from the trigger, on a fixed grid: the quickstart's loop, whose sleeps start
after each answer and so drift later by the answer's time. The node is therefore never later and never costs more
requests on any job length; it gains nothing either. An earlier schedule stretched its gaps on long jobs and timed its
checks from /dca/log progress: it won on short jobs and on the emulator's invented progress counters, but was later than
the quickstart on the 35–88 s jobs users run most, and Bright Data documents neither how fine those counters are nor how
they move, so it was dropped.

## 2. Many inputs

${s.manyItems.toLocaleString('en')} incoming items, collector run time ${s.perJobCost}, timeScale ${s.manyTimeScale}. **Trigger and Wait** gets all items in one
n8n execution (default Inputs per Job ${DEFAULT_INPUTS_PER_JOB.toLocaleString('en')} → ${jobsFor(s.manyItems)}). **One job per item** is the starter's logic per item with
${s.perItemConcurrency} jobs in flight (generous: an n8n loop over HTTP Request runs items one after another, and
${s.perItemConcurrency} is the lower of Bright Data's documented parallel-job limits). Both run one after the other on the same emulator.

${manyTable(results)}

"Time to last answer" is on the emulator's clock and includes this machine's processing before it, magnified
${s.manyTimeScale}×: for the node, most of the time beyond its jobs' run time is this machine preparing and handling
${s.manyItems.toLocaleString('en')} items (its whole run took ${f(results.many[0].wallRealSeconds, 1)} s of real time), which at real speed would count once, not
${s.manyTimeScale} times. The one-job-per-item figure is dominated by job waves: ${s.manyItems / s.perItemConcurrency} waves of one-input jobs, each
seen ready at the first 5 s poll after it finishes.

${itemCostSection(results.itemCost, s)}

${bigSection(results.big, s)}

## 4. Real-time

${s.realtimeJobs} inputs per contender, ready ${s.realtimeRange[0]}–${s.realtimeRange[1]} s after \`trigger_immediate\`, timeScale ${s.realtimeTimeScale}; one input per n8n
execution so that each result's delay is its own, both contenders at the same moment. Ready = the emulated time the
trigger_immediate answer was sent + the collector's run time.

${realtimeTable(results)}

The node long-polls \`get_result?timeout=50s\`: the emulator answers the moment the result is ready, so the node sees
it after one round trip: one trigger plus one long-poll request (two when the result takes more than 50 s). Polling every second
costs one request per second of waiting and is 0–1 s late.
`;
}

/** Section 2b: the node's cost per item against n8n's HTTP Request node and a bare download. */
export function itemCostSection(itemCost: ItemCostSummary[], s: BenchSettings, run?: PartRun): string {
	const rounds = s.itemSizes.map((items, index) => `${s.itemRounds[index]} at ${items.toLocaleString('en')}`).join(', ');
	return marked(
		ITEM_COST_SECTION,
		`## 2b. Cost per item

Trigger and Wait on ${s.itemSizes.map((n) => n.toLocaleString('en')).join(', ')} incoming items (Items Source → node, default
options except the Timeout: one job per ${DEFAULT_INPUTS_PER_JOB.toLocaleString('en')} items, one row of about 1 KB per item), against the same number of rows in one
snapshot fetched by **n8n's HTTP Request node** (n8n-nodes-base 2.41.1 from the real n8n install, loaded into the same
in-process engine as the node: Source → HTTP Request, GET the dataset URL, JSON response split into one item per row)${
			httpRequestAvailable() ? '' : ' — **not found on this machine, so not measured**'
		}, and by a **bare** \`fetch\` + \`.text()\` + \`JSON.parse\`. Each measurement runs in its own child process (bench/worker.ts)
after a 10-item warm-up; the emulator runs in the parent. **Busy CPU time** = user + system CPU of the child while the
measured node's \`execute()\` runs (for the bare case: while it downloads and parses), so waiting for the API costs
nothing and the emulator's work is not counted; it includes n8n's HTTP client, which both nodes use. Trigger and Wait's
includes its triggers and status checks. Rounds: ${rounds}; ratios are medians of per-round ratios.

${itemCostTable(itemCost)}

Node µs per item: ${itemGrowth(itemCost)}. **Where the per-item time went** (\`node --cpu-prof\` of a 20,000-item run,
bench/profileManyInputs.ts): most of the node's own time was n8n's \`getNodeParameter\`, called five to eight times per
item while planning the jobs (collector, input source, fields, options, delivery), each call resolving, validating and
copying the value (about 5 µs). A parameter without an expression is now read once (\`nodes/BrightDataScraperStudio/parameters/constant.ts\`); with an
expression it is still read per item. What remains per row is the download, \`JSON.parse\` of each row, linking it to
its item (a key of its echoed input, one map lookup) and n8n's own item handling.${partRunNote('itemCost', run, itemCostTargets(itemCost))}`,
	);
}

/** Section 3: big datasets, each operation × output mode against a bare download. */
export function bigSection(big: BigSummary[], s: BenchSettings, run?: PartRun): string {
	return marked(
		BIG_SECTION,
		`## 3. Big datasets

One snapshot of ${s.bigSizes.map((n) => n.toLocaleString('en')).join(', ')} rows of about 1 KB (JSON). Every case runs in its own child process
(bench/worker.ts: \`node --expose-gc --import tsx\`), which first runs the same case on a 10-row snapshot (so code is
loaded and compiled, as in a long-running n8n), then collects garbage, resets the kernel's peak-RSS mark
(\`/proc/self/clear_refs\`), runs the case once and reads \`VmHWM\`: peak RSS growth = peak − RSS just before the run,
including the moments inside synchronous work such as JSON.parse${big.some(({ memoryMethod }) => memoryMethod === 'sampling') ? ' (**this run could not reset VmHWM and sampled RSS every 2 ms instead, which misses peaks inside synchronous work**)' : ''}. The emulator runs in the parent, so its memory is
not counted; the time from sending each request to its response headers (the emulator builds a whole answer
before sending its first byte) is taken out of the child's time, for the node and the baseline alike.
Cases take turns, round after round (${s.bigSizes.map((rows, index) => `${s.bigRounds[index]} at ${count(rows)} rows`).join(', ')}: a round of
1,000,000-row cases takes minutes); "× baseline" is the median of the per-round ratios. **Bare baseline**: \`fetch\`, \`.text()\`,
\`JSON.parse\`. The node cases run Items Source → node through n8n's engine with n8n 2's default binary data mode for a
regular instance (\`filesystem\`: the file is written under the n8n user folder). Trigger and Wait's time includes
its trigger and its status checks (the job is ready 2 emulated seconds after the trigger: 2 ms at timeScale 1000); its
Timeout is set to the largest allowed, since the default 900 s is 0.9 real seconds at that scale.

${bigTable(big)}

**Growth.** The same cases per row: client time in µs and peak RSS growth in bytes at each size, and the per-row
figure at ${count(Math.max(...s.bigSizes))} rows ÷ at ${count(BIG_TARGET_ROWS)}. About 1× is linear growth; below 1× part of the cost is fixed
(File output holds a fixed-size buffer whatever the rows, and a run's fixed costs weigh most at 10,000 rows). The node
cases' time per row at ${count(Math.max(...s.bigSizes))} ÷ at ${count(BIG_TARGET_ROWS)}: ${growthRange(big)}.

${bigGrowthTable(big)}

**Where the memory goes.** The bare baseline reads the whole body as one string and then \`JSON.parse\`s it: the text
(1×) is still alive while the parsed rows (about 1.2–2× their JSON size on the V8 heap) are built, so it peaks above
3× the payload (${f(bigRatio(big, BASELINE_LABEL), 1)}× here). The node reads the dataset as a stream and parses
each row as it arrives (\`nodes/shared/snapshot/rowStream.ts\`, a JSON array or NDJSON), so the body text never sits next to the
rows: Get Dataset (rows) peaks at ${f(bigRatio(big, 'Get Dataset (rows)'), 1)}× here, about the rows alone.
File output (one job, no Row Limit) does not parse the dataset: \`nodes/shared/snapshot/rowSplitter.ts\` cuts the response into row
texts as it downloads (bytes, one pass), and JSON and NDJSON rows go on into n8n's binary data as they are (converted
between the two on the fly); only rows whose text mentions \`"error\` are parsed, to sort out failed inputs. CSV parses
each row to write its line, with the columns taken from the first 1,000 rows. The same response answers "is it ready?"
(read up to its first row) and fills the file, so the body is fetched once. With a Row Limit or several jobs, the rows
are parsed and sorted into input order first, as before.

**1,000,000 rows** are a 1 GB answer. The emulator renders it 1,000 rows at a time into Buffers (no V8 string can hold
it: strings stop at 512 MB) and reuses the rendered answer for every case of that size, so the parent renders it once. The
rows repeat their content every 10,000 rows, each with its own id, SKU and URLs, so the parent does not hold a million
distinct rows. The **bare baseline cannot**: \`.text()\` must turn the whole body into one string, past V8's limit, so it
fails after downloading it (its time and memory are up to that failure) and the 1,000,000-row cases have no "× baseline";
the ratio targets are judged at ${count(BIG_TARGET_ROWS)} rows. One Item per Row and All Rows hold every parsed row (well over a
gigabyte at this size) within the children's 4 GB V8 heap limit (\`--max-old-space-size=4096\`, bench/child.ts). A case
that fails at some size says so in the table, with its error.${partRunNote('bigDatasets', run, bigTargets(big))}`,
	);
}
