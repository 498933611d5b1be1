/** Every emulated endpoint, in one table. Unlisted method/path pairs answer 404. */
import type { Route } from '../context';
import { automateProgress, automateTemplate, createCollector } from './aiFlow';
import { dataset, trigger } from './batch';
import { collectorsList } from './collectorsList';
import { cancelAutomation, refactorProgress, refactorTemplate, resumeAutomation } from './heal';
import { collectorJobs, hpErrors, jobAction, log, rerun } from './jobs';
import { crawl, getResult, triggerImmediate } from './realtime';

/** A path segment: job IDs, response IDs. */
const ID = '([^/]+)';

export const ROUTES: Route[] = [
	{ method: 'POST', path: /^\/dca\/trigger$/, handler: trigger },
	{ method: 'GET', path: /^\/dca\/dataset$/, handler: dataset },
	{ method: 'POST', path: /^\/dca\/trigger_immediate$/, handler: triggerImmediate },
	{ method: 'GET', path: /^\/dca\/get_result$/, handler: getResult },
	{ method: 'POST', path: /^\/dca\/crawl$/, handler: crawl },
	{ method: 'GET', path: new RegExp(`^/dca/log/${ID}$`), handler: log },
	{ method: 'POST', path: new RegExp(`^/dca/jobs/${ID}/(cancel|pause|resume)$`), handler: jobAction },
	{ method: 'POST', path: new RegExp(`^/dca/jobs/${ID}/rerun$`), handler: rerun },
	{ method: 'GET', path: new RegExp(`^/dca/jobs/${ID}/hp_errors$`), handler: hpErrors },
	{ method: 'GET', path: /^\/dca\/collectors_list$/, handler: collectorsList },
	{ method: 'GET', path: /^\/dca\/collector\/jobs$/, handler: collectorJobs },
	{ method: 'POST', path: /^\/dca\/collector$/, handler: createCollector },
	{ method: 'POST', path: new RegExp(`^/dca/collectors/${ID}/automate_template$`), handler: automateTemplate },
	{ method: 'GET', path: new RegExp(`^/dca/collectors/${ID}/automate_template/progress$`), handler: automateProgress },
	{ method: 'POST', path: new RegExp(`^/dca/collectors/${ID}/refactor_template$`), handler: refactorTemplate },
	{ method: 'GET', path: new RegExp(`^/dca/collectors/${ID}/refactor_template/progress$`), handler: refactorProgress },
	{ method: 'POST', path: new RegExp(`^/dca/collectors/${ID}/resume_automation_job$`), handler: resumeAutomation },
	{ method: 'POST', path: new RegExp(`^/dca/collectors/${ID}/cancel_automation$`), handler: cancelAutomation },
];

/** The route for a request and its path parameters (URL-decoded). */
export function findRoute(method: string, path: string): { route: Route; params: string[] } | undefined {
	for (const route of ROUTES) {
		if (route.method !== method) continue;
		const match = route.path.exec(path);
		if (match) return { route, params: match.slice(1).map(safeDecode) };
	}
	return undefined;
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment; // malformed escapes stay as sent, and simply match no job
	}
}
