// The package's nodes and credentials are listed in package.json's "n8n" block; nothing to export here.
