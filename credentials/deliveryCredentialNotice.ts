import type { INodeProperties } from 'n8n-workflow';

// The notice atop every delivery credential (S3, GCS, Azure, SFTP, webhook). They have no `test` request: only
// Bright Data connects to the destination, so the node's `testedBy` runs the format check it runs before a job.
export const deliveryCredentialNotice: INodeProperties = {
	displayName:
		'For the Delivery option of the Bright Data Scraper Studio node. Testing checks the format only: Bright Data itself connects to the destination when a job ends.',
	name: 'notice',
	type: 'notice',
	default: '',
};
