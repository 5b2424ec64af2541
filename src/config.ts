import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { ChannelOAuthSettings } from './channels/oauth/settings.js';
import type { AddressPolicy } from './lib/outbound-http/address-policy.js';
import type { BackupSettings } from './ops/backup/settings.js';
import { DEFAULT_RETENTION } from './ops/backup/retention.js';
import { DEFAULT_PROBE_SECONDS, statusSettings, type ProberSettings } from './ops/status/settings.js';
import { DEFAULT_SLA, SlaPolicy } from './ops/status/sla.js';

/**
 * Every setting Chorus reads (README, "Configuration"), parsed once when a command starts: a bad
 * value stops `serve`, `worker` and every other command with the variable's name and what it
 * accepts. Nothing else reads the environment; settings travel from here as parameters.
 */
export interface ChorusConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  /** '' when not configured: a random key is generated and kept in the data dir (see secret-key.ts). */
  secretKey: string;
  logLevel: LogLevel;
  publicUrl: string | undefined;
  secureCookies: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  /** False with CHORUS_NO_WORKER: `serve` answers the API and leaves background jobs to `chorus worker`. */
  runWorkers: boolean;
  publishLeaseMs: number;
  addressPolicy: AddressPolicy;
  channelOAuth: ChannelOAuthSettings;
  backups: BackupSettings;
  status: ProberSettings;
  mail: MailSettings;
  shortLinks: ShortLinkSettings;
  /**
   * A Bluesky repository event stream read for mentions (CHORUS_BLUESKY_FIREHOSE_URL, docs/streams.md):
   * wss://…/xrpc/com.atproto.sync.subscribeRepos or a Jetstream wss://…/subscribe; null: polling only.
   */
  blueskyFirehoseUrl: string | null;
  /** Mastodon mentions pushed over each instance's streaming API (CHORUS_MASTODON_STREAMING, docs/streams.md); false: polling only. */
  mastodonStreaming: boolean;
}

/** Short links (docs/analytics.md). */
export interface ShortLinkSettings {
  /** Where short URLs point (CHORUS_SHORT_URL_BASE), e.g. https://go.example.com; else the public URL. */
  baseUrl: string | undefined;
  /** Redirects per client address per minute (CHORUS_SHORT_LINK_RATE_PER_MINUTE). */
  ratePerMinute: number;
}

export interface MailSettings {
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start); null: Chorus sends no e-mail. */
  smtpUrl: string | null;
  /** The From header of every message Chorus sends. */
  from: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a yes/no setting accepts, in any letter case. */
const BOOLEAN_WORDS = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
  ['yes', true],
  ['no', false],
]);

const yesNo = z.string().transform((raw, ctx) => {
  const value = BOOLEAN_WORDS.get(raw.trim().toLowerCase());
  if (value !== undefined) return value;
  ctx.addIssue({ code: 'custom', message: `"${raw}" is not accepted; use true, false, 1, 0, yes or no` });
  return z.NEVER;
});

const oneOf = <T extends string>(values: readonly T[]) =>
  z.string().transform((raw, ctx) => {
    const value = raw.trim().toLowerCase();
    if ((values as readonly string[]).includes(value)) return value as T;
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not accepted; use one of ${values.join(', ')}` });
    return z.NEVER;
  });

const wholeNumber = (min: number, max: number, unit?: string) =>
  z.string().transform((raw, ctx) => {
    const value = Number(raw.trim());
    if (/^\d+$/.test(raw.trim()) && value >= min && value <= max) return value;
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not accepted; use a whole number ${unit ? `of ${unit} ` : ''}from ${min} to ${max}` });
    return z.NEVER;
  });

/** `shown: false` for URLs that may carry a password: the message must not print it. */
const address = (protocols: string[], example: string, shown = true) =>
  z.string().transform((raw, ctx) => {
    const value = raw.trim();
    if (URL.canParse(value)) {
      const url = new URL(value);
      if (protocols.includes(url.protocol) && url.hostname) return value;
    }
    ctx.addIssue({
      code: 'custom',
      message: `${shown ? `"${raw}" is not accepted` : 'the value (not shown: it may hold a password) is not accepted'}; use a URL like ${example}`,
    });
    return z.NEVER;
  });

const databaseUrl = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  // What openStore understands; anything else with a scheme is a typo (mysql://, postgress://).
  if (/^(sqlite:|file:|postgres(ql)?:\/\/)/.test(value) || !/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  ctx.addIssue({ code: 'custom', message: `the scheme ${value.split(':')[0]}: is not accepted; use sqlite:<file> or postgres://user:pass@host:port/db` });
  return z.NEVER;
});

const slaPolicy = z.string().transform((raw, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not valid JSON; see docs/durability.md for the shape' });
    return z.NEVER;
  }
  const parsed = SlaPolicy.safeParse(json);
  if (parsed.success) return parsed.data;
  ctx.addIssue({
    code: 'custom',
    message: `not an SLA policy (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); see docs/durability.md`,
  });
  return z.NEVER;
});

/** "Name <someone@example.com>" or a bare address. */
const mailbox = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (/^(?:[^<>@\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(value)) return value;
  ctx.addIssue({ code: 'custom', message: `"${raw}" is not accepted; use an address like chorus@example.com or Chorus <chorus@example.com>` });
  return z.NEVER;
});

const Count = wholeNumber(0, 10_000, 'backups');

/** Keyed by the environment variable, so every message names the variable. */
const Environment = z.object({
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  CHORUS_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: databaseUrl.optional(),
  CHORUS_SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: oneOf(LOG_LEVELS).default('info'),
  CHORUS_PUBLIC_URL: address(['http:', 'https:'], 'https://chorus.example.com').optional(),
  CHORUS_SECURE_COOKIES: oneOf(['auto', 'always', 'never'] as const).default('auto'),
  CHORUS_TRUST_PROXY: yesNo.default(false),
  CHORUS_NO_WORKER: yesNo.default(false),
  CHORUS_PUBLISH_LEASE_MS: wholeNumber(1_000, 24 * 3_600_000, 'milliseconds').default(60_000),
  CHORUS_ALLOW_PRIVATE_NETWORK: yesNo.default(false),
  CHORUS_X_CLIENT_ID: z.string().optional(),
  CHORUS_X_CLIENT_SECRET: z.string().optional(),
  CHORUS_X_API_BASE: address(['http:', 'https:'], 'https://api.x.com').optional(),
  CHORUS_THREADS_APP_ID: z.string().optional(),
  CHORUS_THREADS_APP_SECRET: z.string().optional(),
  CHORUS_THREADS_API_BASE: address(['http:', 'https:'], 'https://graph.threads.net').optional(),
  CHORUS_LINKEDIN_CLIENT_ID: z.string().optional(),
  CHORUS_LINKEDIN_CLIENT_SECRET: z.string().optional(),
  CHORUS_LINKEDIN_AUTH_BASE: address(['http:', 'https:'], 'https://www.linkedin.com').optional(),
  CHORUS_LINKEDIN_API_BASE: address(['http:', 'https:'], 'https://api.linkedin.com').optional(),
  CHORUS_META_APP_ID: z
    .string()
    .trim()
    .regex(/^[0-9]{5,25}$/, 'the Meta app id is the number at the top of the App Dashboard')
    .optional(),
  // The Page and Instagram channels it connects sign their calls and webhooks with it, and the connect form takes only this shape.
  CHORUS_META_APP_SECRET: z
    .string()
    .trim()
    .regex(/^[0-9a-f]{32}$/i, 'the Meta app secret is 32 hexadecimal characters (App settings → Basic → App secret)')
    .optional(),
  CHORUS_META_LOGIN_CONFIG_ID: z
    .string()
    .trim()
    .regex(/^[0-9]{5,25}$/, 'the configuration id is the number Facebook Login for Business → Configurations shows')
    .optional(),
  CHORUS_META_API_BASE: address(['http:', 'https:'], 'https://graph.facebook.com').optional(),
  CHORUS_BACKUP_DIR: z.string().optional(),
  CHORUS_BACKUP_INTERVAL_MINUTES: wholeNumber(0, 7 * 24 * 60, 'minutes').default(60),
  CHORUS_BACKUP_KEEP_HOURLY: Count.default(DEFAULT_RETENTION.hourly),
  CHORUS_BACKUP_KEEP_DAILY: Count.default(DEFAULT_RETENTION.daily),
  CHORUS_BACKUP_KEEP_WEEKLY: Count.default(DEFAULT_RETENTION.weekly),
  CHORUS_STATUS_PROBE_SECONDS: wholeNumber(0, 3600, 'seconds').default(DEFAULT_PROBE_SECONDS),
  CHORUS_SLA_POLICY: slaPolicy.default(DEFAULT_SLA),
  CHORUS_SMTP_URL: address(['smtp:', 'smtps:'], 'smtp://user:pass@mail.example.com:587 or smtps://…:465', false).optional(),
  CHORUS_MAIL_FROM: mailbox.optional(),
  CHORUS_SHORT_URL_BASE: address(['http:', 'https:'], 'https://go.example.com').optional(),
  CHORUS_SHORT_LINK_RATE_PER_MINUTE: wholeNumber(1, 1_000_000, 'requests').default(600),
  CHORUS_BLUESKY_FIREHOSE_URL: address(['wss:', 'ws:'], 'wss://jetstream2.us-east.bsky.network/subscribe').optional(),
  CHORUS_MASTODON_STREAMING: yesNo.default(true),
});

export type ConfigVariable = keyof typeof Environment.shape;
export const CONFIG_VARIABLES = Object.keys(Environment.shape) as ConfigVariable[];

/** Command-line flags that stand in for a variable. */
const FLAG_VARIABLES = { port: 'PORT', host: 'HOST', dataDir: 'CHORUS_DATA_DIR', databaseUrl: 'DATABASE_URL', logLevel: 'LOG_LEVEL' } as const satisfies Record<
  string,
  ConfigVariable
>;

export type ConfigOverrides = Partial<Record<keyof typeof FLAG_VARIABLES, string | undefined>>;

/** Reads the environment, lets flags override it, validates everything, and fills derived defaults. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): ChorusConfig {
  const raw: Partial<Record<ConfigVariable, string>> = {};
  for (const variable of CONFIG_VARIABLES) {
    const value = env[variable];
    // Set but empty (VAR= in a unit file) means unset.
    if (value !== undefined && value.trim() !== '') raw[variable] = value;
  }
  for (const [flag, variable] of Object.entries(FLAG_VARIABLES)) {
    const value = overrides[flag as keyof ConfigOverrides];
    if (value !== undefined && value !== '') raw[variable] = value;
  }
  const parsed = Environment.safeParse(raw);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`));
  const e = parsed.data;
  const dataDir = path.resolve(e.CHORUS_DATA_DIR);
  const xClientId = e.CHORUS_X_CLIENT_ID?.trim();
  const threads = appPair('CHORUS_THREADS_APP_ID', e.CHORUS_THREADS_APP_ID, 'CHORUS_THREADS_APP_SECRET', e.CHORUS_THREADS_APP_SECRET);
  const linkedin = appPair('CHORUS_LINKEDIN_CLIENT_ID', e.CHORUS_LINKEDIN_CLIENT_ID, 'CHORUS_LINKEDIN_CLIENT_SECRET', e.CHORUS_LINKEDIN_CLIENT_SECRET);
  const meta = appPair('CHORUS_META_APP_ID', e.CHORUS_META_APP_ID, 'CHORUS_META_APP_SECRET', e.CHORUS_META_APP_SECRET);
  return {
    port: e.PORT,
    host: e.HOST.trim(),
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'chorus.db')}`,
    secretKey: e.CHORUS_SECRET_KEY ?? '',
    logLevel: e.LOG_LEVEL,
    publicUrl: e.CHORUS_PUBLIC_URL,
    secureCookies: e.CHORUS_SECURE_COOKIES,
    trustProxy: e.CHORUS_TRUST_PROXY,
    runWorkers: !e.CHORUS_NO_WORKER,
    publishLeaseMs: e.CHORUS_PUBLISH_LEASE_MS,
    addressPolicy: { allowPrivateNetwork: e.CHORUS_ALLOW_PRIVATE_NETWORK },
    channelOAuth: {
      x: xClientId
        ? { clientId: xClientId, clientSecret: e.CHORUS_X_CLIENT_SECRET?.trim() || null, ...(e.CHORUS_X_API_BASE ? { apiBase: e.CHORUS_X_API_BASE } : {}) }
        : null,
      threads: threads && { appId: threads.id, appSecret: threads.secret, ...(e.CHORUS_THREADS_API_BASE ? { apiBase: e.CHORUS_THREADS_API_BASE } : {}) },
      linkedin: linkedin && {
        clientId: linkedin.id,
        clientSecret: linkedin.secret,
        ...(e.CHORUS_LINKEDIN_AUTH_BASE ? { authBase: e.CHORUS_LINKEDIN_AUTH_BASE } : {}),
        ...(e.CHORUS_LINKEDIN_API_BASE ? { apiBase: e.CHORUS_LINKEDIN_API_BASE } : {}),
      },
      facebook: meta && {
        appId: meta.id,
        appSecret: meta.secret,
        ...(e.CHORUS_META_LOGIN_CONFIG_ID ? { loginConfigId: e.CHORUS_META_LOGIN_CONFIG_ID } : {}),
        ...(e.CHORUS_META_API_BASE ? { apiBase: e.CHORUS_META_API_BASE } : {}),
      },
    },
    backups: {
      directory: path.resolve(e.CHORUS_BACKUP_DIR ?? path.join(dataDir, 'backups')),
      intervalMinutes: e.CHORUS_BACKUP_INTERVAL_MINUTES,
      retention: { hourly: e.CHORUS_BACKUP_KEEP_HOURLY, daily: e.CHORUS_BACKUP_KEEP_DAILY, weekly: e.CHORUS_BACKUP_KEEP_WEEKLY },
    },
    status: statusSettings(e.CHORUS_STATUS_PROBE_SECONDS, e.CHORUS_SLA_POLICY),
    mail: {
      smtpUrl: e.CHORUS_SMTP_URL ?? null,
      from: e.CHORUS_MAIL_FROM ?? `Chorus <chorus@${e.CHORUS_PUBLIC_URL ? new URL(e.CHORUS_PUBLIC_URL).hostname : 'localhost'}>`,
    },
    shortLinks: { baseUrl: e.CHORUS_SHORT_URL_BASE, ratePerMinute: e.CHORUS_SHORT_LINK_RATE_PER_MINUTE },
    blueskyFirehoseUrl: e.CHORUS_BLUESKY_FIREHOSE_URL ?? null,
    mastodonStreaming: e.CHORUS_MASTODON_STREAMING,
  };
}

/** An app both networks need whole (their code exchange takes the secret): one half alone is a mistake worth stopping for. */
function appPair(idName: string, id: string | undefined, secretName: string, secret: string | undefined): { id: string; secret: string } | null {
  const [trimmedId, trimmedSecret] = [id?.trim(), secret?.trim()];
  if (!trimmedId && !trimmedSecret) return null;
  if (!trimmedId) throw new ConfigError([`${idName}: must be set together with ${secretName}`]);
  if (!trimmedSecret) throw new ConfigError([`${secretName}: must be set together with ${idName}`]);
  return { id: trimmedId, secret: trimmedSecret };
}

export { ConfigError } from './config-error.js';
