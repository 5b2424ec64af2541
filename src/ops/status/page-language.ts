/** The languages of the public status page; the SPA's are the same two (web/src/i18n). */
export const STATUS_LANGUAGES = ['en', 'ja'] as const;
export type StatusLanguage = (typeof STATUS_LANGUAGES)[number];

const isLanguage = (value: string): value is StatusLanguage => (STATUS_LANGUAGES as readonly string[]).includes(value);

/**
 * The page's language: `?lang=` when the reader picked one, else the first language of their
 * Accept-Language (by q weight) that the page speaks, else English.
 */
export function statusLanguage(picked: string | undefined, acceptLanguage: string | undefined): StatusLanguage {
  if (picked && isLanguage(picked)) return picked;
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .map((p) => p.trim())
          .find((p) => p.startsWith('q='))
          ?.slice(2) ?? '1',
      );
      return { language: range.trim().toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranges.map((range) => range.language).find(isLanguage) ?? 'en';
}

interface StatusText {
  title: string;
  operational: string;
  degraded: string;
  checked: (at: string) => string;
  up: string;
  down: string;
  noData: string;
  uptimeFor90Days: string;
  legend: (uptime: string) => string;
  noProbes: string;
  incidents: string;
  noIncidents: string;
  incidentStates: Record<string, string>;
  footer: string;
  reload: string;
  otherLanguage: string;
  /** A component's name for people: the store, one entry per network. */
  component: (name: string) => string;
}

const NETWORKS: Record<string, string> = {
  bluesky: 'Bluesky',
  mastodon: 'Mastodon',
  x: 'X',
  feed: 'RSS/Atom',
  team: 'Team feed',
  line: 'LINE',
  threads: 'Threads',
  linkedin: 'LinkedIn',
};

export const STATUS_TEXT: Record<StatusLanguage, StatusText> = {
  en: {
    title: 'Chorus status',
    operational: 'All systems operational',
    degraded: 'Some systems are degraded',
    checked: (at) => `checked ${at} UTC`,
    up: 'Operational',
    down: 'Down',
    noData: 'no data',
    uptimeFor90Days: 'uptime for 90 days',
    legend: (uptime) => `90 days ago · ${uptime} uptime · today`,
    noProbes: 'No probes recorded yet.',
    incidents: 'Incidents',
    noIncidents: 'No incidents in the last 90 days.',
    incidentStates: { investigating: 'investigating', identified: 'identified', monitoring: 'monitoring', resolved: 'resolved' },
    footer: "Measured by Chorus's own health probes. Machine-readable:",
    reload: 'Reload',
    otherLanguage: '日本語',
    component: (name) => (name === 'store' ? 'Database' : name.startsWith('network:') ? `Network: ${NETWORKS[name.slice(8)] ?? name.slice(8)}` : name),
  },
  ja: {
    title: 'Chorus の稼働状況',
    operational: 'すべて正常に稼働しています',
    degraded: '一部のシステムに障害が発生しています',
    checked: (at) => `${at} UTC に確認`,
    up: '正常',
    down: '停止',
    noData: 'データなし',
    uptimeFor90Days: '90 日間の稼働率',
    legend: (uptime) => `90 日前 · 稼働率 ${uptime} · 今日`,
    noProbes: 'まだ監視の記録がありません。',
    incidents: '障害情報',
    noIncidents: '過去 90 日間に障害はありません。',
    incidentStates: { investigating: '調査中', identified: '原因特定', monitoring: '経過観察中', resolved: '解決済み' },
    footer: 'Chorus 自身のヘルスチェックによる計測です。機械可読な形式:',
    reload: '再読み込み',
    otherLanguage: 'English',
    component: (name) =>
      name === 'store'
        ? 'データベース'
        : name.startsWith('network:')
          ? `ネットワーク: ${name.slice(8) === 'team' ? 'チームフィード' : (NETWORKS[name.slice(8)] ?? name.slice(8))}`
          : name,
  },
};
