/** Statistics, the machine and code description, and peak-memory readings from /proc. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export function median(values: number[]): number {
	return percentile(values, 50);
}

/** Linear-interpolated percentile (p from 0 to 100) of a non-empty list. */
export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

export interface Machine {
	cpu: string;
	cores: number;
	memoryGb: number;
	node: string;
	os: string;
	date: string;
	/** 1-minute load average when the run started and when it ended (other processes compete for the cores). */
	load: [number, number];
}

export const loadNow = (): number => loadavg()[0];

export function describeMachine(loadAtStart: number): Machine {
	const [first] = cpus();
	return {
		cpu: first?.model.trim() ?? 'unknown',
		cores: cpus().length,
		memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		os: `${process.platform} ${readKernel()}`,
		date: new Date().toISOString(),
		load: [loadAtStart, loadNow()],
	};
}

/** The commit the node was measured at, and whether nodes/ or credentials/ had uncommitted changes. */
export function describeCode(): string {
	try {
		const git = (...args: string[]) => execFileSync('git', args, { cwd: __dirname, encoding: 'utf8' }).trim();
		const dirty = git('status', '--porcelain', '--', '../nodes', '../credentials') !== '';
		return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes in nodes/ or credentials/' : ''}`;
	} catch {
		return 'unknown (not a git checkout)';
	}
}

function readKernel(): string {
	try {
		return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
	} catch {
		return '';
	}
}

/** A field of /proc/self/status in bytes (VmRSS, VmHWM…). */
function statusBytes(field: 'VmRSS' | 'VmHWM'): number {
	const match = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
	if (!match) throw new Error(`/proc/self/status has no ${field}`);
	return Number(match[1]) * 1024;
}

/**
 * Peak resident memory of this process from a starting point on: resets the kernel's high-water
 * mark (VmHWM) so that it restarts at the current RSS, and reads it back at the end. Unlike
 * sampling with a timer, it also catches peaks inside long synchronous work (JSON.parse of 100 MB).
 * Where the reset is not allowed, it falls back to sampling RSS every 2 ms (and says so).
 */
export class PeakMemory {
	readonly baseline: number;
	readonly method: 'VmHWM' | 'sampling';
	private sampledPeak = 0;
	private readonly timer?: NodeJS.Timeout;

	constructor() {
		try {
			writeFileSync('/proc/self/clear_refs', '5');
			this.method = 'VmHWM';
		} catch {
			this.method = 'sampling';
			this.timer = setInterval(() => (this.sampledPeak = Math.max(this.sampledPeak, process.memoryUsage.rss())), 2);
		}
		this.baseline = this.method === 'VmHWM' ? statusBytes('VmRSS') : process.memoryUsage.rss();
	}

	/** Highest RSS since the constructor, minus the RSS then. */
	growth(): number {
		if (this.method === 'VmHWM') return statusBytes('VmHWM') - this.baseline;
		clearInterval(this.timer);
		return Math.max(this.sampledPeak, process.memoryUsage.rss()) - this.baseline;
	}
}
