/**
 * A command's action loaded only when that command runs: `chorus --help` and every other
 * command then parse none of the server, the store or the network SDKs (about 1.5 s of imports).
 */
export function lazyAction<Args extends unknown[]>(load: () => Promise<(...args: Args) => Promise<void>>): (...args: Args) => Promise<void> {
  return async (...args) => (await load())(...args);
}
