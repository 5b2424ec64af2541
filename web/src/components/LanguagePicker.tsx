import { Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../api/types.js';
import { LANGUAGE_NAMES } from '../i18n/index.js';
import { currentLanguage, isLocale } from '../i18n/language.js';

const OPTIONS = LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale] }));

/** English / 日本語 switch; what a choice means (saved to the account or not) is up to the caller. */
export function LanguagePicker({ onPick }: { onPick: (locale: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <Select
      data={OPTIONS}
      value={currentLanguage()}
      onChange={(value) => isLocale(value) && onPick(value)}
      allowDeselect={false}
      aria-label={t('language.label')}
      data-testid="language-picker"
      size="xs"
      w={{ base: 86, sm: 110 }}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
