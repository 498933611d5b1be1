import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** A Test that sends nothing, for credentials this package never calls anyone with (delivery keys, the trigger's secret). */
export const offlineCredentialTest =
	(problemsOf: (data: ICredentialDataDecryptedObject) => string[], okMessage: string) =>
	async ({ data }: ICredentialsDecrypted): Promise<INodeCredentialTestResult> => {
		const problems = problemsOf(data ?? {});
		return problems.length
			? { status: 'Error', message: problems.join('; ') }
			: { status: 'OK', message: okMessage };
	};
