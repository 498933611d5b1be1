import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

/**
 * A credential's Test button that sends nothing: for credentials this package never uses to call
 * anyone (delivery keys Bright Data uses, the trigger's secret), it checks that the fields are usable.
 */
export function offlineCredentialTest(problemsOf: (data: ICredentialDataDecryptedObject) => string[], okMessage: string) {
	return async function (this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
		const problems = problemsOf(credential.data ?? {});
		return problems.length ? { status: 'Error', message: problems.join('; ') } : { status: 'OK', message: okMessage };
	};
}
