import { homedir } from 'node:os';
import { join } from 'node:path';

/** n8n-nodes-base of the real n8n that scripts/n8n/install.mjs installs (the bench loads its HTTP Request node). */
export const N8N_NODES_BASE = join(homedir(), '.cache', 'n8n-nodes-brightdata-scraper-studio', 'n8n-2.41.1', 'node_modules', 'n8n-nodes-base');
