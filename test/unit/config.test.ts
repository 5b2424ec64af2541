import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type ConfigVariable } from '../../src/config.js';
import { DEFAULT_RETENTION } from '../../src/ops/backup/retention.js';
import { DEFAULT_SLA } from '../../src/ops/status/sla.js';

/** The problems loadConfig reports for this environment ([] when it loads). */
function problemsOf(env: NodeJS.ProcessEnv, overrides = {}): string[] {
  try {
    loadConfig(overrides, env);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}

const YES_NO_SETTINGS = ['CHORUS_ALLOW_PRIVATE_NETWORK', 'CHORUS_TRUST_PROXY', 'CHORUS_NO_WORKER', 'CHORUS_MASTODON_STREAMING'] as const;

describe('configuration', () => {
  it('has a default for every setting, so an empty environment starts', () => {
    const config = loadConfig({}, {});
    const dataDir = path.resolve('./data');
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: `sqlite:${path.join(dataDir, 'chorus.db')}`,
      secretKey: '',
      logLevel: 'info',
      publicUrl: undefined,
      secureCookies: 'auto',
      trustProxy: false,
      runWorkers: true,
      publishLeaseMs: 60_000,
      addressPolicy: { allowPrivateNetwork: false },
      channelOAuth: { x: null, threads: null, linkedin: null, facebook: null },
      backups: { directory: path.join(dataDir, 'backups'), intervalMinutes: 60, retention: DEFAULT_RETENTION },
      status: { intervalMs: 30_000, gapMs: 75_000, sla: DEFAULT_SLA },
      mail: { smtpUrl: null, from: 'Chorus <chorus@localhost>' },
      shortLinks: { baseUrl: undefined, ratePerMinute: 600 },
      blueskyFirehoseUrl: null,
      mastodonStreaming: true,
    });
  });

  it('reads every yes/no setting from true/false, 1/0 and yes/no in any letter case', () => {
    const spellings: [string, boolean][] = [
      ['true', true],
      ['TRUE', true],
      ['True', true],
      ['1', true],
      ['yes', true],
      ['YES', true],
      ['Yes', true],
      [' yes ', true],
      ['false', false],
      ['FALSE', false],
      ['False', false],
      ['0', false],
      ['no', false],
      ['NO', false],
      ['No', false],
    ];
    for (const [raw, value] of spellings) {
      const config = loadConfig({}, { CHORUS_ALLOW_PRIVATE_NETWORK: raw, CHORUS_TRUST_PROXY: raw, CHORUS_NO_WORKER: raw, CHORUS_MASTODON_STREAMING: raw });
      expect([raw, config.addressPolicy.allowPrivateNetwork, config.trustProxy, config.runWorkers, config.mastodonStreaming]).toEqual([
        raw,
        value,
        value,
        !value,
        value,
      ]);
    }
  });

  it('refuses any other yes/no word, naming the variable and the accepted values', () => {
    for (const variable of YES_NO_SETTINGS) {
      for (const raw of ['maybe', 'on', 'off', 'y', '2', 'ture', 'constructor', 'toString']) {
        expect(problemsOf({ [variable]: raw })).toEqual([`${variable}: "${raw}" is not accepted; use true, false, 1, 0, yes or no`]);
      }
    }
  });

  it('treats a set but empty variable as unset', () => {
    expect(loadConfig({}, { PORT: '', CHORUS_ALLOW_PRIVATE_NETWORK: '', LOG_LEVEL: '  ', CHORUS_SMTP_URL: '' })).toMatchObject({
      port: 3000,
      addressPolicy: { allowPrivateNetwork: false },
      logLevel: 'info',
      mail: { smtpUrl: null },
    });
  });

  it('names the variable and what it accepts for every invalid value, all at once', () => {
    const invalid: [ConfigVariable, string, string][] = [
      ['PORT', 'eighty', 'a whole number from 0 to 65535'],
      ['PORT', '70000', 'from 0 to 65535'],
      ['LOG_LEVEL', 'loud', 'use one of fatal, error, warn, info, debug, trace, silent'],
      ['CHORUS_SECURE_COOKIES', 'sometimes', 'use one of auto, always, never'],
      ['CHORUS_PUBLIC_URL', 'chorus.example.com', 'a URL like https://chorus.example.com'],
      ['CHORUS_PUBLIC_URL', 'ftp://chorus.example.com', 'a URL like https://'],
      ['DATABASE_URL', 'mysql://root@db/chorus', 'use sqlite:<file> or postgres://'],
      ['CHORUS_SECRET_KEY', 'short', 'at least 16 characters'],
      ['CHORUS_PUBLISH_LEASE_MS', '500', 'milliseconds from 1000'],
      ['CHORUS_BACKUP_INTERVAL_MINUTES', 'hourly', 'minutes from 0 to 10080'],
      ['CHORUS_BACKUP_KEEP_HOURLY', '-1', 'a whole number of backups'],
      ['CHORUS_BACKUP_KEEP_DAILY', '7.5', 'a whole number of backups'],
      ['CHORUS_BACKUP_KEEP_WEEKLY', 'many', 'a whole number of backups'],
      ['CHORUS_STATUS_PROBE_SECONDS', '1.5', 'seconds from 0 to 3600'],
      ['CHORUS_SLA_POLICY', '{"targetPercent": 120, "credits": []}', 'targetPercent'],
      ['CHORUS_SLA_POLICY', 'ninety-nine', 'not valid JSON'],
      ['CHORUS_X_API_BASE', 'api.x.com', 'a URL like https://api.x.com'],
      ['CHORUS_SMTP_URL', 'https://mail.example.com', 'smtp://user:pass@mail.example.com:587 or smtps://'],
      ['CHORUS_MAIL_FROM', 'nobody', 'an address like chorus@example.com or Chorus <chorus@example.com>'],
    ];
    for (const [variable, raw, accepted] of invalid) {
      const problems = problemsOf({ [variable]: raw });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
      expect(problems[0]).toContain(accepted);
    }
    const several = problemsOf({ PORT: 'eighty', CHORUS_ALLOW_PRIVATE_NETWORK: 'maybe', LOG_LEVEL: 'loud' });
    expect(several.map((p) => p.split(':')[0])).toEqual(['PORT', 'LOG_LEVEL', 'CHORUS_ALLOW_PRIVATE_NETWORK']);
    expect(() => loadConfig({}, { PORT: 'eighty' })).toThrow(/^Invalid configuration:\n {2}PORT: /);
  });

  it('never prints a password from a URL it refuses', () => {
    const problems = problemsOf({ CHORUS_SMTP_URL: 'http://mailer:hunter22@mail.example.com', DATABASE_URL: 'mysql://root:hunter22@db/chorus' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).not.toContain('hunter22');
  });

  it('lets command-line flags override the environment, validated the same way', () => {
    expect(loadConfig({ port: '4000', logLevel: 'debug' }, { PORT: '5000', LOG_LEVEL: 'warn' })).toMatchObject({ port: 4000, logLevel: 'debug' });
    expect(problemsOf({}, { port: 'eighty' })).toEqual(['PORT: "eighty" is not accepted; use a whole number from 0 to 65535']);
  });

  it('derives the store, backups and status page from their settings', () => {
    const config = loadConfig(
      {},
      {
        CHORUS_DATA_DIR: '/srv/chorus',
        CHORUS_BACKUP_KEEP_DAILY: '14',
        CHORUS_BACKUP_INTERVAL_MINUTES: '0',
        CHORUS_STATUS_PROBE_SECONDS: '60',
        LOG_LEVEL: 'WARN',
      },
    );
    expect(config).toMatchObject({ databaseUrl: 'sqlite:/srv/chorus/chorus.db', logLevel: 'warn' });
    expect(config.backups).toEqual({ directory: '/srv/chorus/backups', intervalMinutes: 0, retention: { ...DEFAULT_RETENTION, daily: 14 } });
    expect(config.status).toMatchObject({ intervalMs: 60_000, gapMs: 150_000 });
    expect(loadConfig({}, { DATABASE_URL: 'postgres://chorus@db/chorus' }).databaseUrl).toBe('postgres://chorus@db/chorus');
  });

  it('configures the X app only with a client id', () => {
    expect(loadConfig({}, { CHORUS_X_CLIENT_SECRET: 'secret' }).channelOAuth.x).toBeNull();
    expect(loadConfig({}, { CHORUS_X_CLIENT_ID: ' app-1 ' }).channelOAuth.x).toEqual({ clientId: 'app-1', clientSecret: null });
    expect(
      loadConfig({}, { CHORUS_X_CLIENT_ID: 'app-1', CHORUS_X_CLIENT_SECRET: 'secret', CHORUS_X_API_BASE: 'http://127.0.0.1:9000' }).channelOAuth.x,
    ).toEqual({
      clientId: 'app-1',
      clientSecret: 'secret',
      apiBase: 'http://127.0.0.1:9000',
    });
  });

  it('configures the Threads and LinkedIn apps only with both their id and secret', () => {
    expect(
      loadConfig(
        {},
        { CHORUS_THREADS_APP_ID: ' 990001 ', CHORUS_THREADS_APP_SECRET: 's1', CHORUS_LINKEDIN_CLIENT_ID: '86abc', CHORUS_LINKEDIN_CLIENT_SECRET: 's2' },
      ).channelOAuth,
    ).toEqual({ x: null, threads: { appId: '990001', appSecret: 's1' }, linkedin: { clientId: '86abc', clientSecret: 's2' }, facebook: null });
    const bases = loadConfig(
      {},
      {
        CHORUS_THREADS_APP_ID: '990001',
        CHORUS_THREADS_APP_SECRET: 's1',
        CHORUS_THREADS_API_BASE: 'http://127.0.0.1:9000',
        CHORUS_LINKEDIN_CLIENT_ID: '86abc',
        CHORUS_LINKEDIN_CLIENT_SECRET: 's2',
        CHORUS_LINKEDIN_AUTH_BASE: 'http://127.0.0.1:9001',
        CHORUS_LINKEDIN_API_BASE: 'http://127.0.0.1:9002',
      },
    ).channelOAuth;
    expect(bases.threads).toEqual({ appId: '990001', appSecret: 's1', apiBase: 'http://127.0.0.1:9000' });
    expect(bases.linkedin).toEqual({ clientId: '86abc', clientSecret: 's2', authBase: 'http://127.0.0.1:9001', apiBase: 'http://127.0.0.1:9002' });
    expect(() => loadConfig({}, { CHORUS_THREADS_APP_ID: '990001' })).toThrow('CHORUS_THREADS_APP_SECRET: must be set together with CHORUS_THREADS_APP_ID');
    expect(() => loadConfig({}, { CHORUS_LINKEDIN_CLIENT_SECRET: 's2' })).toThrow(
      'CHORUS_LINKEDIN_CLIENT_ID: must be set together with CHORUS_LINKEDIN_CLIENT_SECRET',
    );
  });

  it('sends mail only with an SMTP URL, from the public host unless told otherwise', () => {
    expect(loadConfig({}, { CHORUS_PUBLIC_URL: 'https://social.example.com:8443/chorus' }).mail).toEqual({
      smtpUrl: null,
      from: 'Chorus <chorus@social.example.com>',
    });
    expect(loadConfig({}, { CHORUS_SMTP_URL: 'smtps://mailer:pw@mail.example.com:465', CHORUS_MAIL_FROM: 'Acme Social <social@acme.example>' }).mail).toEqual({
      smtpUrl: 'smtps://mailer:pw@mail.example.com:465',
      from: 'Acme Social <social@acme.example>',
    });
    expect(loadConfig({}, { CHORUS_SMTP_URL: 'smtp://mail.example.com:587', CHORUS_MAIL_FROM: 'social@acme.example' }).mail.from).toBe('social@acme.example');
  });

  it('lists every setting it reads in the README, with the accepted values of the yes/no ones', () => {
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
    const rows = new Map(table.split('\n').flatMap((line) => (/^\| `([A-Z_]+)`/.exec(line) ? [[/^\| `([A-Z_]+)`/.exec(line)![1]!, line] as const] : [])));
    expect([...rows.keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
    for (const variable of YES_NO_SETTINGS) expect(rows.get(variable)).toContain('`true`/`false`, `1`/`0`, `yes`/`no`');
  });
});
