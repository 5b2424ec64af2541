/** A teammate as @mentions see them. */
export interface Mentionable {
  userId: string;
  name: string;
  email: string;
}

const MENTION = /(^|[^\p{L}\p{N}_.@])@([\p{L}\p{N}][\p{L}\p{N}._-]*)/gu;

/**
 * Resolves @tokens to members: a token names a member by the local part of their email
 * (@olivia), their whole name without spaces (@OliviaOwner), or their first name when no
 * other member shares it. Ambiguous or unknown tokens mention nobody.
 */
export function resolveMentions(text: string, members: Mentionable[]): string[] {
  const byToken = new Map<string, Set<string>>();
  const add = (token: string, userId: string) => {
    const key = token.toLowerCase();
    if (!key) return;
    byToken.set(key, (byToken.get(key) ?? new Set()).add(userId));
  };
  for (const member of members) {
    add(member.email.split('@')[0]!, member.userId);
    add(member.name.replace(/\s+/g, ''), member.userId);
    add(member.name.trim().split(/\s+/)[0] ?? '', member.userId);
  }
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) {
    const token = match[2]!.replace(/[._-]+$/, '').toLowerCase();
    const users = byToken.get(token);
    if (users?.size === 1) found.add([...users][0]!);
  }
  return [...found];
}
