import { useTranslation } from 'react-i18next';

/** Dates in the reader's language, e.g. "Nov 27, 2025, 11:30 PM" or "2025/11/27 23:30". */
export function useFormatDate(): (iso: string | null) => string {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
  return (iso) => (iso ? format.format(new Date(iso)) : '—');
}
