import path from 'node:path';
import { z } from 'zod';

/** Every setting Chorus reads, with its environment variable. CLI flags override these. */
const ConfigSchema = z.object({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z.string().optional(),
  secretKey: z.string().min(16, 'CHORUS_SECRET_KEY must be at least 16 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  publicUrl: z.string().url().optional(),
  secureCookies: z.enum(['auto', 'always', 'never']).default('auto'),
  trustProxy: z.coerce.boolean().default(false),
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must be smtp://user:pass@host:port (STARTTLS) or smtps://user:pass@host:port (TLS)')
    .optional(),
  mailFrom: z.string().min(3).optional(),
});

export type ChorusConfig = z.infer<typeof ConfigSchema> & { databaseUrl: string; secretKey: string };

export const ENVIRONMENT_VARIABLES = {
  port: 'PORT',
  host: 'HOST',
  dataDir: 'CHORUS_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  secretKey: 'CHORUS_SECRET_KEY',
  logLevel: 'LOG_LEVEL',
  publicUrl: 'CHORUS_PUBLIC_URL',
  secureCookies: 'CHORUS_SECURE_COOKIES',
  trustProxy: 'CHORUS_TRUST_PROXY',
  smtpUrl: 'CHORUS_SMTP_URL',
  mailFrom: 'CHORUS_MAIL_FROM',
} as const satisfies Record<keyof z.infer<typeof ConfigSchema>, string>;

export type ConfigOverrides = Partial<Record<keyof typeof ENVIRONMENT_VARIABLES, string | number | boolean | undefined>>;

/** Reads env, applies overrides (CLI flags), validates, and fills derived defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): ChorusConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = overrides[key as keyof ConfigOverrides] ?? env[variable];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${ENVIRONMENT_VARIABLES[i.path[0] as keyof typeof ENVIRONMENT_VARIABLES] ?? i.path.join('.')}: ${i.message}`);
    throw new ConfigError(problems);
  }
  const config = parsed.data;
  // Relays refuse mail from an address they do not know; a made-up default would fail later and quietly.
  if (config.smtpUrl && !config.mailFrom) throw new ConfigError(['CHORUS_MAIL_FROM: required when CHORUS_SMTP_URL is set (e.g. "Chorus <chorus@example.com>")']);
  const dataDir = path.resolve(config.dataDir);
  return {
    ...config,
    dataDir,
    databaseUrl: config.databaseUrl ?? `sqlite:${path.join(dataDir, 'chorus.db')}`,
    // Without a configured key, a random one is generated and kept in the data dir (see secrets.ts).
    secretKey: config.secretKey ?? '',
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
