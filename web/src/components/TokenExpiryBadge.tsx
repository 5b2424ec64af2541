import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormatDate } from './format.js';
import { tokenExpiryState } from './token-expiry.js';

/** "Token expires in N days" under two weeks, "Token expired - reconnect" after: before a post fails, not after. */
export function TokenExpiryBadge({ tokenExpiresAt }: { tokenExpiresAt: string | null }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const state = tokenExpiryState(tokenExpiresAt, Date.now());
  if (!state) return null;
  return (
    <Tooltip label={t('channels.tokenExpiry.until', { when: formatDate(tokenExpiresAt) })} multiline maw={320}>
      <Badge color={state.kind === 'expired' ? 'red' : 'orange'} variant="light" data-testid="token-expiry" data-state={state.kind}>
        {state.kind === 'expired'
          ? t('channels.tokenExpiry.expired')
          : state.days === 1
            ? t('channels.tokenExpiry.lastDay')
            : t('channels.tokenExpiry.soon', { count: state.days })}
      </Badge>
    </Tooltip>
  );
}
