import { ProviderError } from '@umt/integrations';
import { rejection } from '@umt/test-support';

/** The ProviderError a call ends with; anything else (a success, another error) fails the test. */
export const failure = (call: Promise<unknown>): Promise<ProviderError> => rejection(call, ProviderError);
