import { useTranslation } from 'react-i18next';

// One formatter per language: making an Intl.DateTimeFormat costs ~1 ms, and a board renders a
// hundred cards that each format a date (it was the top entry of the board's CPU profile).
const dateFormats = new Map<string, (iso: string | null) => string>();

/** Dates in the reader's language, e.g. "Nov 27, 2025, 11:30 PM" or "2025/11/27 23:30". */
export function useFormatDate(): (iso: string | null) => string {
  const { i18n } = useTranslation();
  let formatDate = dateFormats.get(i18n.language);
  if (!formatDate) {
    const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' });
    formatDate = (iso) => (iso ? format.format(new Date(iso)) : '—');
    dateFormats.set(i18n.language, formatDate);
  }
  return formatDate;
}

/** Sizes in the reader's language: "30 bytes" / "30 バイト", "1.2 MB". */
export function useFormatBytes(): (bytes: number) => string {
  const { i18n } = useTranslation();
  return (bytes) => {
    const [unit, size] =
      bytes >= 1024 ** 3
        ? (['gigabyte', bytes / 1024 ** 3] as const)
        : bytes >= 1024 ** 2
          ? (['megabyte', bytes / 1024 ** 2] as const)
          : bytes >= 1024
            ? (['kilobyte', bytes / 1024] as const)
            : (['byte', bytes] as const);
    return new Intl.NumberFormat(i18n.language, {
      style: 'unit',
      unit,
      unitDisplay: unit === 'byte' ? 'long' : 'short',
      maximumFractionDigits: size < 10 && unit !== 'byte' ? 1 : 0,
    }).format(size);
  };
}
