import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/** A Test that sends nothing, for credentials this package never calls anyone with (delivery keys, the trigger's secret). */
export function offlineCredentialTest(
	problemsOf: (data: ICredentialDataDecryptedObject) => string[],
	okMessage: string,
) {
	return async function (
		this: ICredentialTestFunctions,
		credential: ICredentialsDecrypted,
	): Promise<INodeCredentialTestResult> {
		const problems = problemsOf(credential.data ?? {});
		return problems.length
			? { status: 'Error', message: problems.join('; ') }
			: { status: 'OK', message: okMessage };
	};
}
