import { Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Org } from '../api/types.js';
import { TWO_FACTOR_KEY, useTwoFactor } from '../pages/accounts/security-queries.js';
import { TwoFactorSetup } from '../pages/accounts/TwoFactorSetup.js';

/**
 * Whether the org is closed to this user until they turn on two-factor sign-in: `pending` while
 * that is being asked. The server refuses the org's routes anyway (403 two_factor_required);
 * this spares the user a page of failed requests and leads them to enrolment instead.
 */
export function useTwoFactorLock(org: Org | undefined): 'open' | 'locked' | 'pending' {
  const status = useTwoFactor({ enabled: org?.requiresTwoFactor === true });
  if (!org?.requiresTwoFactor) return 'open';
  if (status.isPending) return 'pending';
  return status.data?.enabled === false ? 'locked' : 'open';
}

/** In place of the org's pages while it is locked: why, and the enrolment itself. */
export function TwoFactorRequired({ org }: { org: Org }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <Paper withBorder p="lg" radius="md" maw={720} mx="auto" mt="lg" data-testid="two-factor-required">
      <Stack gap="sm">
        <Title order={3}>{t('twoFactor.required.title', { org: org.name })}</Title>
        <Text size="sm">{t('twoFactor.required.body')}</Text>
        <TwoFactorSetup onDone={() => void queryClient.invalidateQueries({ queryKey: TWO_FACTOR_KEY })} />
      </Stack>
    </Paper>
  );
}
