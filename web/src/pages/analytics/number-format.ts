import { useTranslation } from 'react-i18next';

/** Counts and rates in the reader's language; null (not measured) as a dash. */
export function useNumbers() {
  const { i18n } = useTranslation();
  const count = new Intl.NumberFormat(i18n.language);
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 });
  return {
    count: (value: number | null) => (value === null ? '—' : count.format(value)),
    percent: (value: number | null) => (value === null ? '—' : percent.format(value)),
  };
}
