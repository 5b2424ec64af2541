import { notifications } from '@mantine/notifications';
import i18n from 'i18next';
import { ApiError } from '../api/client.js';

/** The user's words for a failure: a translation of a known error code, else the server's own message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const details = (error.details ?? {}) as Record<string, unknown>;
    return i18n.t(`errors.${error.code}`, { ...details, defaultValue: error.message });
  }
  return i18n.t('errors.unexpected');
}

export function notifyError(error: unknown): void {
  notifications.show({ color: 'red', title: i18n.t('errors.title'), message: describeError(error), autoClose: 8000 });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 3000 });
}
