import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LOCALES, type Locale } from '../api/types.js';
import { LANGUAGE_NAMES } from '../i18n/index.js';
import { currentLanguage, isLocale } from '../i18n/language.js';

const OPTIONS = LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale] }));

/**
 * English / 日本語 switch; what a choice means (saved to the account or not) is up to the caller.
 * The browser's own select: Mantine's Select keeps its dropdown mounted, and Floating UI then
 * measured its place again at every layout change of every page (~45 ms of the board's load).
 */
export function LanguagePicker({ onPick }: { onPick: (locale: Locale) => void }) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      data={OPTIONS}
      value={currentLanguage()}
      onChange={(event) => {
        const value = event.currentTarget.value;
        if (isLocale(value)) onPick(value);
      }}
      aria-label={t('language.label')}
      data-testid="language-picker"
      size="xs"
      w={{ base: 86, sm: 110 }}
    />
  );
}
