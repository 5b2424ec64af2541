import { describe, expect, it } from 'vitest';
import { renderStatusPage } from '../../src/ops/status/page.js';
import { statusLanguage } from '../../src/ops/status/page-language.js';

const overview = {
  status: 'operational' as const,
  checkedAt: '2026-12-01T00:00:00.000Z',
  components: [
    {
      name: 'store',
      state: 'up' as const,
      since: '2026-11-01T00:00:00.000Z',
      uptime90Days: 100,
      days: [{ day: '2026-12-01', percent: 100 }],
      months: [{ month: '2026-12', percent: 100 }],
    },
    {
      name: 'network:bluesky',
      state: 'down' as const,
      since: '2026-11-30T00:00:00.000Z',
      uptime90Days: 99.5,
      days: [{ day: '2026-12-01', percent: 99.5 }],
      months: [{ month: '2026-12', percent: 99.5 }],
    },
  ],
  incidents: [],
};

describe('the public status page', () => {
  it('speaks the reader’s language: ?lang= first, then Accept-Language by weight, else English', () => {
    expect(statusLanguage(undefined, 'ja,en-US;q=0.9')).toBe('ja');
    expect(statusLanguage(undefined, 'fr-FR, en;q=0.5, ja;q=0.8')).toBe('ja');
    expect(statusLanguage(undefined, 'ja;q=0, en')).toBe('en');
    expect(statusLanguage(undefined, 'de')).toBe('en');
    expect(statusLanguage(undefined, undefined)).toBe('en');
    expect(statusLanguage('en', 'ja')).toBe('en');
    expect(statusLanguage('xx', 'ja-JP')).toBe('ja');
  });

  it('in Japanese names its components for people, and never reloads itself', () => {
    const ja = renderStatusPage(overview, 'ja');
    expect(ja).toContain('<html lang="ja">');
    expect(ja).toContain('データベース');
    expect(ja).toContain('ネットワーク: Bluesky');
    expect(ja).toContain('すべて正常に稼働しています');
    expect(ja).not.toMatch(/network:bluesky|>store<|Operational/);
    expect(ja).toContain('href="/status?lang=en"');
    const en = renderStatusPage(overview, 'en');
    expect(en).toContain('Network: Bluesky');
    expect(en).toContain('Database');
    for (const page of [ja, en]) expect(page).not.toMatch(/http-equiv="refresh"/i);
  });
});
