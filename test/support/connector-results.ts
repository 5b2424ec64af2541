import type { ConnectorResult, StreamPage } from '../../src/channels/connector.js';

/** The page of a connector call that must succeed; the failure in the message when it did not. */
export const page = (result: ConnectorResult<StreamPage>): StreamPage => {
  if (!result.ok) throw new Error(`expected a page, got ${JSON.stringify(result.failure)}`);
  return result.value;
};

/** The failure of a connector call that must fail. */
export const failure = (result: ConnectorResult<unknown>) => {
  if (result.ok) throw new Error('expected a failure');
  return result.failure;
};
