import { notifications } from '@mantine/notifications';
import i18n from 'i18next';
import { ApiError } from '../api/client.js';

/** The user's words for a failure: a translation of a known error code filled with its params, else the server's own message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const params = (error.params ?? error.details ?? {}) as Record<string, unknown>;
    const values = Array.isArray(params) ? {} : params;
    const reason = translatedReason(error);
    return i18n.t(`errors.${reason ?? error.code}`, { ...values, defaultValue: error.message });
  }
  return i18n.t('errors.unexpected');
}

/** A known finer cause the server named in `params.reason` (a feed that is a web page), when it has a translation. */
export function translatedReason(error: ApiError): string | null {
  const reason = error.params?.reason;
  return typeof reason === 'string' && /^[a-z_]+$/.test(reason) && i18n.exists(`errors.${reason}`) ? reason : null;
}

export function notifyError(error: unknown): void {
  notifications.show({ color: 'red', title: i18n.t('errors.title'), message: describeError(error), autoClose: 8000 });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 3000 });
}
