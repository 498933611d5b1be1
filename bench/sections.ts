/**
 * RESULTS.md sections between `<!-- name:start -->` and `<!-- name:end -->` markers, so that a
 * `--only=…` run can replace its own sections and leave the others from the last full run.
 */

/** A section's body between its markers. */
export const marked = (name: string, body: string): string => `<!-- ${name}:start -->\n${body.trim()}\n<!-- ${name}:end -->`;

/** Replaces the section `name` (a `marked` text) in `markdown`, or appends it when there is none yet. */
export function withSection(markdown: string, name: string, section: string): string {
	const start = markdown.indexOf(`<!-- ${name}:start -->`);
	const endMarker = `<!-- ${name}:end -->`;
	const end = markdown.indexOf(endMarker);
	if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${section}\n`;
	return `${markdown.slice(0, start)}${section}${markdown.slice(end + endMarker.length)}`;
}

/** Where and when a part ran, for a section written by a `--only=…` run. */
export interface PartRun {
	code: string;
	date: string;
	/** 1-minute load average at the start and the end of the part. */
	load: [number, number];
}

/** The section `name` of `markdown` with its markers, or undefined (to carry it over a full rewrite). */
export function sectionOf(markdown: string, name: string): string | undefined {
	const start = markdown.indexOf(`<!-- ${name}:start -->`);
	const endMarker = `<!-- ${name}:end -->`;
	const end = markdown.indexOf(endMarker);
	return start === -1 || end === -1 ? undefined : markdown.slice(start, end + endMarker.length);
}
