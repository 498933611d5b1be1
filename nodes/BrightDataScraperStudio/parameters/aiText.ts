import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/** A text parameter the AI reads (a description, a prompt) and Bright Data's limits for it. */
export interface AiTextRule {
	/** The parameter's name, also how the error names it ("The prompt is empty"). */
	name: string;
	max: number;
	/** What to write instead, shown under any error. */
	advice: string;
	/** Bright Data answers 422 Invalid message to `<` or `>` in a prompt. */
	refuseAngleBrackets?: boolean;
}

/** The trimmed text of parameter `rule.name` for item `itemIndex`, checked before any request. */
export function readAiText(ctx: IExecuteFunctions, itemIndex: number, rule: AiTextRule): string {
	const text = String(ctx.getNodeParameter(rule.name, itemIndex, '')).trim();
	const fail = (why: string) =>
		new NodeOperationError(ctx.getNode(), `The ${rule.name} ${why}`, {
			itemIndex,
			description: rule.advice,
		});
	if (!text) throw fail('is empty');
	if (text.length > rule.max)
		throw fail(`is ${text.length} characters long, more than Bright Data accepts (${rule.max})`);
	if (rule.refuseAngleBrackets && /[<>]/.test(text))
		throw fail('contains angle brackets (< or >), which Bright Data refuses');
	return text;
}
