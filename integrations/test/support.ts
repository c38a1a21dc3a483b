import { ProviderError } from '@umt/integrations';

/** The ProviderError a call ends with; anything else (a success, another error) fails the test. */
export async function failure(call: Promise<unknown>): Promise<ProviderError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}
