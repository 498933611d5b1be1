/** A hand-written SVG of horizontal bar panels, one per headline figure (no dependencies). */
import { BASELINE_LABEL } from './parts/bigDatasets';
import { ALL_JOBS } from './parts/schedule';
import {
	BIG_MEMORY_TARGET,
	BIG_TARGET_ROWS,
	BIG_TIME_TARGET,
	DELAY_TARGET_SECONDS,
	perRowGrowth,
	type BenchResults,
} from './results';

interface Bar {
	label: string;
	value: number;
	/** The node's own bars are drawn in the accent colour. */
	node: boolean;
}

interface Panel {
	title: string;
	bars: Bar[];
	unit: string;
	/** A dashed line at the target, if the figure has one. */
	target?: number;
	targetLabel?: string;
}

const WIDTH = 860;
const LABEL_WIDTH = 380;
const BAR_AREA = 330;
const BAR_HEIGHT = 16;
const ROW = 22;
const TITLE = 44;
const GAP = 14;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const shortNumber = (value: number) =>
	value >= 100 || Number.isInteger(value) ? Math.round(value).toLocaleString('en') : value.toFixed(2);

function panelSvg(panel: Panel, top: number): { svg: string; height: number } {
	const max = Math.max(...panel.bars.map(({ value }) => value), panel.target ?? 0) * 1.05 || 1;
	const x = (value: number) => LABEL_WIDTH + (value / max) * BAR_AREA;
	const parts = [`<text x="10" y="${top + 18}" class="title">${escape(panel.title)}</text>`];
	panel.bars.forEach((bar, index) => {
		const y = top + TITLE + index * ROW;
		parts.push(
			`<text x="${LABEL_WIDTH - 8}" y="${y + 12}" class="label" text-anchor="end">${escape(bar.label)}</text>`,
			`<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(1, x(bar.value) - LABEL_WIDTH).toFixed(1)}" height="${BAR_HEIGHT}" class="${bar.node ? 'node' : 'other'}"/>`,
			`<text x="${(x(bar.value) + 6).toFixed(1)}" y="${y + 12}" class="value">${shortNumber(bar.value)}${panel.unit}</text>`,
		);
	});
	const height = TITLE + panel.bars.length * ROW;
	if (panel.target !== undefined) {
		const tx = x(panel.target).toFixed(1);
		parts.push(
			`<line x1="${tx}" y1="${top + TITLE - 4}" x2="${tx}" y2="${top + height}" class="target"/>`,
			`<text x="${tx}" y="${top + TITLE - 8}" class="targetText" text-anchor="middle">${escape(panel.targetLabel ?? `target ${panel.target}${panel.unit}`)}</text>`,
		);
	}
	return { svg: parts.join('\n'), height: height + GAP };
}

function panels(results: BenchResults): Panel[] {
	const isNode = (label: string) => /Trigger and Wait|Get Dataset|Run Real-time/.test(label) && !/what-if/i.test(label);
	const shortLabel = (label: string) => label.replace(/ \(.*\)$/, '');
	const bars = <T extends { label: string }>(rows: T[], value: (row: T) => number): Bar[] =>
		rows.map((row) => ({ label: shortLabel(row.label), value: value(row), node: isNode(row.label) }));
	const big = results.big.filter(({ rows }) => rows === BIG_TARGET_ROWS);
	const situationShort: Record<string, string> = { hint: 'hint', noHint: 'no hint' };
	const scheduleBars = (value: (row: BenchResults['schedule'][number]) => number): Bar[] =>
		results.schedule.filter(({ range }) => range === ALL_JOBS).map((row) => ({ label: `${situationShort[row.situation]}: ${shortLabel(row.label)}`, value: value(row), node: isNode(row.label) }));
	return [
		{
			title: 'Batch: median delay after ready (timeScale 1, jobs of 3–300 s)',
			bars: scheduleBars((row) => row.delayMedian),
			unit: ' s',
			target: DELAY_TARGET_SECONDS,
			targetLabel: `target with the hint: ${DELAY_TARGET_SECONDS} s`,
		},
		{
			title: "Batch: requests per job, trigger and log reads included (× the quickstart's in the table)",
			bars: scheduleBars((row) => row.requestsPerJob),
			unit: '',
		},
		{
			title: `${results.settings.manyItems.toLocaleString('en')} inputs: API calls`,
			bars: bars(results.many, (row) => row.apiCalls),
			unit: '',
		},
		{
			title: `${BIG_TARGET_ROWS.toLocaleString('en')} rows: time × bare baseline`,
			bars: big.map(({ label, timeRatio }) => ({ label, value: timeRatio, node: label !== BASELINE_LABEL })),
			unit: '×',
			target: BIG_TIME_TARGET,
		},
		{
			title: `${BIG_TARGET_ROWS.toLocaleString('en')} rows: peak RSS growth × payload`,
			bars: big.map(({ label, memoryRatio }) => ({ label, value: memoryRatio, node: label !== BASELINE_LABEL })),
			unit: '×',
			target: BIG_MEMORY_TARGET,
		},
		{
			title: `Time per row at ${Math.max(...results.settings.bigSizes).toLocaleString('en')} rows ÷ at ${BIG_TARGET_ROWS.toLocaleString('en')} (1× = linear growth)`,
			bars: big
				.map(({ label }) => ({ label, value: perRowGrowth(results.big, label).time, node: label !== BASELINE_LABEL }))
				.filter(({ value }) => Number.isFinite(value)),
			unit: '×',
			target: 1,
			targetLabel: 'linear',
		},
		{
			title: `Real-time: median delay after ready (timeScale ${results.settings.realtimeTimeScale}, real-scale estimate)`,
			bars: bars(results.realtime, (row) => row.realScaleMedian),
			unit: ' s',
		},
		{
			title: 'Real-time: requests per result',
			bars: bars(results.realtime, (row) => row.requestsPerJob),
			unit: '',
		},
	];
}

export function chartSvg(results: BenchResults): string {
	let top = 30;
	const body: string[] = [
		`<rect x="10" y="8" width="12" height="12" class="node"/><text x="28" y="18" class="label">this node (through n8n's engine)</text>`,
		`<rect x="250" y="8" width="12" height="12" class="other"/><text x="268" y="18" class="label">alternatives and what-if clients</text>`,
	];
	for (const panel of panels(results)) {
		const { svg, height } = panelSvg(panel, top);
		body.push(svg);
		top += height;
	}
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="sans-serif">
<style>
.title { font-size: 14px; font-weight: bold; fill: #222; }
.label, .value { font-size: 12px; fill: #333; }
.targetText { font-size: 11px; fill: #b00; }
.node { fill: #2a7de1; }
.other { fill: #9aa5b1; }
.target { stroke: #b00; stroke-width: 1.5; stroke-dasharray: 4 3; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
${body.join('\n')}
</svg>
`;
}
