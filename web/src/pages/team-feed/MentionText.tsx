import { Mark, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { resolveMentions, type Mentionable } from '../../../../src/team-feed/mentions.js';

// The server's pattern (src/team-feed/mentions.ts): an @ not glued to a word, email or another mention.
const MENTION = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;

/**
 * A post's text with its @mentions picked out: the reader's own in a highlight, other teammates
 * in bold blue. A token counts only if the server resolved it too (it is in `mentioned`), using
 * the server's own resolution rules, so the page never highlights someone who was not notified.
 */
export function MentionText({ text, mentioned, members, me }: { text: string; mentioned: string[]; members: Mentionable[]; me: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1]!.length;
    const token = match[2]!.replace(/[._-]+$/, '');
    const [userId] = resolveMentions(`@${token}`, members);
    if (!userId || !mentioned.includes(userId)) continue;
    const end = start + 1 + token.length;
    parts.push(text.slice(last, start));
    const label = text.slice(start, end);
    parts.push(
      userId === me ? (
        <Mark key={start} color="yellow" fw={600} data-testid="mention-me">
          {label}
        </Mark>
      ) : (
        <Text key={start} span fw={600} c="blue.7" data-testid="mention">
          {label}
        </Text>
      ),
    );
    last = end;
  }
  parts.push(text.slice(last));
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="team-post-text">
      {parts}
    </Text>
  );
}
