/**
 * Imported first by every bench entry point: n8n-core reads these variables when it loads, so
 * they must be set before anything imports it (the jest runs do the same in test/harness/setup-env.ts).
 * The temporary n8n user folder (settings, binary data files) is removed when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const n8nUserFolder = mkdtempSync(join(tmpdir(), 'n8n-bench-'));
process.env.N8N_USER_FOLDER = n8nUserFolder;
process.env.N8N_LOG_LEVEL = 'silent';

process.on('exit', () => rmSync(n8nUserFolder, { recursive: true, force: true }));
