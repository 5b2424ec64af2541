import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import ja from './ja.json' with { type: 'json' };
import { initialLanguage } from './language.js';

export const LANGUAGE_NAMES = { en: 'English', ja: '日本語' } as const;

/** Synchronous: the resources are bundled, so the first render is already translated. */
export function startI18n(): void {
  const lng = initialLanguage();
  document.documentElement.lang = lng;
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, ja: { translation: ja } },
    lng,
    fallbackLng: 'en',
    // React already escapes what it renders.
    interpolation: { escapeValue: false },
    initAsync: false,
  });
}
