/** A setting that does not parse; its own module so the `chorus` command can catch it without loading the settings schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
