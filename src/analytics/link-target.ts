export interface UtmTags {
  network: string | null;
  campaign: string | null;
}

/** Adds utm_source / utm_medium / utm_campaign unless the URL already sets them (the author's choice wins). */
export function withUtm(url: string, tags: UtmTags): string {
  const parsed = new URL(url);
  const set = (name: string, value: string | null) => {
    if (value && !parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
  };
  set('utm_source', tags.network ?? 'chorus');
  set('utm_medium', 'social');
  set('utm_campaign', tags.campaign);
  return parsed.href;
}
