import type { INodeProperties } from 'n8n-workflow';

/** The notice at the top of every delivery credential's form (S3, GCS, Azure, SFTP, webhook). */
export const deliveryCredentialNotice: INodeProperties = {
	displayName:
		'For the Delivery option of the Bright Data Scraper Studio node. Testing checks the format only: Bright Data itself connects to the destination when a job ends.',
	name: 'notice',
	type: 'notice',
	default: '',
};
