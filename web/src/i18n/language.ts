import i18n from 'i18next';
import { LOCALES, type Locale } from '../api/types.js';

const STORAGE_KEY = 'chorus.language';

export const isLocale = (value: unknown): value is Locale => LOCALES.includes(value as Locale);

/** This device's last choice, else the browser's language. */
export function initialLanguage(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLocale(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export const currentLanguage = (): Locale => (isLocale(i18n.language) ? i18n.language : 'en');

export async function showLanguage(locale: Locale): Promise<void> {
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  if (i18n.language !== locale) await i18n.changeLanguage(locale);
}

// A language picked on a sign-in page is newer than the account's saved one: it is saved on sign-in.
let pickedBeforeSignIn: Locale | null = null;

export async function pickLanguageBeforeSignIn(locale: Locale): Promise<void> {
  pickedBeforeSignIn = locale;
  await showLanguage(locale);
}

export function takeLanguagePickedBeforeSignIn(): Locale | null {
  const picked = pickedBeforeSignIn;
  pickedBeforeSignIn = null;
  return picked;
}
