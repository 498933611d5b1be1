import type { IDataObject } from 'n8n-workflow';

/** One input object for the collector, and the incoming item it came from. */
export interface PlannedInput {
	itemIndex: number;
	input: IDataObject;
}

/** The trigger query parameters other than the collector, as the API names them. */
export type TriggerQuery = IDataObject;

/** Inputs that go to Bright Data in one POST /dca/trigger. */
export interface JobPlan {
	collector: string;
	query: TriggerQuery;
	inputs: PlannedInput[];
	/** Values typed into delivery fields that must never appear in an error. */
	secrets: string[];
}

export interface TriggeredJob extends JobPlan {
	snapshotId: string;
	startEta?: string;
	/** When the trigger answered (node ms): the checks count from here, as the quickstart's loop does. */
	triggeredAt: number;
}
