import type { ContactFilters } from '../../api/contacts.js';

/** The contact list's filters as the page address keeps them, so a filtered view can be bookmarked. */
export interface ContactListFilters extends Required<ContactFilters> {
  q: string;
}

/** Only whole numbers are scores: anything else in a hand-edited address is no filter, not a 400. */
export const wholeNumber = (value: string | null): number | null => (value !== null && /^-?\d{1,7}$/.test(value.trim()) ? Number(value.trim()) : null);

export function filtersFromSearch(params: URLSearchParams): ContactListFilters {
  return {
    q: params.get('q') ?? '',
    tag: params.get('tag') || null,
    stage: params.get('stage') || null,
    owner: params.get('owner') || null,
    minScore: wholeNumber(params.get('minScore')),
  };
}

/** The address with one filter set, or removed when it is empty; other parameters stay. */
export function withFilter(params: URLSearchParams, name: keyof ContactListFilters, value: string | number | null): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value === null || value === '') next.delete(name);
  else next.set(name, String(value));
  return next;
}

export const anyFilter = (filters: ContactListFilters): boolean =>
  Boolean(filters.q || filters.tag || filters.stage || filters.owner || filters.minScore !== null);
