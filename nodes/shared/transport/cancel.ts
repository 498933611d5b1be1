import { NodeOperationError } from 'n8n-workflow';

import type { RequestContext } from './index';

export function cancelSignal(ctx: RequestContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/** Stops work once the user stops the execution. n8n recognises a cancellation by the word "canceled". */
export function throwIfCancelled(ctx: RequestContext): void {
	if (cancelSignal(ctx)?.aborted) {
		throw new NodeOperationError(ctx.getNode(), 'The execution was canceled');
	}
}
