/**
 * The CLI end-to-end tests of e2e.test.mjs again, on the oldest n8n the package supports
 * (OLDEST_N8N_VERSION in scripts/n8n/install.mjs, cached in its own folder like the newest).
 * node's test runner runs each file in its own process, so the variable set here stays here.
 */
import { OLDEST_N8N_VERSION } from '../../scripts/n8n/install.mjs';

process.env.E2E_N8N_VERSION = OLDEST_N8N_VERSION;
await import('./e2e.test.mjs');
