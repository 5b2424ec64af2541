import type { NormalizedItem } from '../src/channels/connector.js';

const JA = ['AWSの障害から復旧しました', '新作の予約を開始', 'クラウドとSaaSの話題', '中小企業のソーシャルメディア活用', '週末のイベント情報'];
const EN = [
  'Maintenance window tonight',
  'New release is out with faster search',
  'Thanks for the kind words!',
  'Our shop opens at 9 tomorrow',
  'Read the postmortem',
];

/** Stream items shaped like a busy Bluesky timeline with some feed entries: mixed Japanese and English, links, a fifth with HTML. */
export function benchItems(count: number, offset = 0): NormalizedItem[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const text = `${JA[i % JA.length]} ${EN[(i * 7) % EN.length]} #${i % 97} https://example.com/posts/${i} ${i % 3 === 0 ? 'ご確認ください' : 'see thread'}`;
    return {
      network: i % 5 === 0 ? 'feed' : 'bluesky',
      remoteId: `at://did:plc:bench${i % 1000}/app.bsky.feed.post/${i.toString(36).padStart(13, '0')}`,
      url: `https://bsky.app/profile/user${i % 1000}.test/post/${i}`,
      author: {
        remoteId: `did:plc:bench${i % 1000}`,
        handle: `user${i % 1000}.test`,
        displayName: `User ${i % 1000}`,
        avatarUrl: `https://cdn.example/avatar/${i % 1000}.jpg`,
        profileUrl: `https://bsky.app/profile/user${i % 1000}.test`,
      },
      text,
      html: i % 5 === 0 ? `<p>${text}</p><p><a href="https://example.com/posts/${i}">続きを読む</a></p>` : null,
      title: i % 5 === 0 ? `記事 ${i}` : null,
      links: [`https://example.com/posts/${i}`],
      media: i % 4 === 0 ? [{ url: `https://cdn.example/img/${i}.jpg`, alt: '写真' }] : [],
      replyToRemoteId: null,
      quoteOfRemoteId: null,
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      language: i % 2 === 0 ? 'ja' : 'en',
      metrics: { likes: i % 13, reposts: i % 5, replies: i % 3, quotes: 0, views: null },
    };
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
