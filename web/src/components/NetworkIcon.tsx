import { ThemeIcon } from '@mantine/core';

/** Each network's mark drawn inline in its brand colour (no icon package, no remote images). */
const NETWORK_STYLE: Record<string, { color: string; path: string }> = {
  // A butterfly's two wings.
  bluesky: {
    color: '#1185fe',
    path: 'M12 11c-1.6-3-5-6.6-7-6.6-1.4 0-1.5 1.9-1 4 .5 2 2 3 4 3-2.5.5-3 2.4-1.6 3.8 2.2 2.2 4.1-.6 5.6-3.2 1.5 2.6 3.4 5.4 5.6 3.2 1.4-1.4.9-3.3-1.6-3.8 2 0 3.5-1 4-3 .5-2.1.4-4-1-4-2 0-5.4 3.6-7 6.6z',
  },
  // A speech bubble with the M.
  mastodon: { color: '#6364ff', path: 'M5 5h14a2 2 0 012 2v7a2 2 0 01-2 2h-7l-4 3v-3H5a2 2 0 01-2-2V7a2 2 0 012-2zM8 13V9l2 2 2-2v4M14 13V9l2 2 2-2v4' },
  x: { color: '#111111', path: 'M5 4l14 16M19 4L5 20' },
  // The feed symbol: a dot and two arcs.
  feed: { color: '#ee802f', path: 'M5 19h.01M5 12a7 7 0 017 7M5 5a14 14 0 0114 14' },
  // LINE's speech bubble.
  line: {
    color: '#06c755',
    path: 'M12 4c-4.9 0-9 3.1-9 7 0 3.4 3.1 6.3 7.3 6.9l-.6 2.6c-.1.4.3.7.7.5 2.9-1.7 7.6-4.8 9.4-7.6.8-1.1 1.2-2.2 1.2-3.4 0-3.9-4.1-7-9-7z',
  },
  // Threads' looped "@" (wt-threadsli).
  threads: {
    color: '#000000',
    path: 'M16 11.5c0-2.5-1.8-4-4-4s-4 1.6-4 4.5 1.8 4.5 4 4.5 4-1.5 4-4v-1c0 5-1.5 7-4.5 7C7.5 18.5 5 16 5 12s2.5-7 7-7c3.8 0 6.3 2.2 7 5.5',
  },
  // LinkedIn's "in" (wt-threadsli).
  linkedin: { color: '#0a66c2', path: 'M7 10v7M7 7v.01M11 17v-7M11 13c0-2 1.2-3 2.7-3S16 11 16 13v4' },
  // Facebook's "f".
  facebook: { color: '#0866ff', path: 'M14.5 4.5h-1.5a3 3 0 00-3 3V20M8 11h6' },
  // Instagram's camera: a rounded square, its lens and the flash dot.
  instagram: { color: '#d62976', path: 'M8 4h8a4 4 0 014 4v8a4 4 0 01-4 4H8a4 4 0 01-4-4V8a4 4 0 014-4zM12 15.5a3.5 3.5 0 100-7 3.5 3.5 0 000 7zM17 7v.01' },
  team: { color: '#2f9e44', path: 'M9 11a3 3 0 100-6 3 3 0 000 6zM3 19c0-3 2.7-5 6-5s6 2 6 5M16 5.5a3 3 0 010 5.5M18 14c1.8.7 3 2.4 3 5' },
};

export const networkColor = (network: string): string => NETWORK_STYLE[network]?.color ?? '#868e96';

export function NetworkIcon({ network, size = 22 }: { network: string; size?: number }) {
  const style = NETWORK_STYLE[network];
  return (
    <ThemeIcon size={size} radius="xl" color={style?.color ?? 'gray'} aria-hidden="true" data-network={network}>
      <svg width={size * 0.7} height={size * 0.7} viewBox="0 0 24 24" fill="none" stroke="#fff" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
        <path d={style?.path ?? 'M12 12h.01'} />
      </svg>
    </ThemeIcon>
  );
}
