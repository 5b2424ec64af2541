import { Paper, Switch, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setOrgSecurity } from '../../api/orgs.js';
import { notifySuccess } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { SESSION_KEY } from '../../app/session.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useTwoFactor } from '../accounts/security-queries.js';

/** Settings → Organization, for owners: require two-factor sign-in of every member. */
export function TwoFactorRequirement() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const isOwner = can(org.role, 'org.security');
  const own = useTwoFactor({ enabled: isOwner });
  const save = useMutation({
    mutationFn: (requireTwoFactor: boolean) => setOrgSecurity(org.id, { requireTwoFactor }),
    onSuccess: async ({ org: saved }) => {
      notifySuccess(saved.requiresTwoFactor ? t('organization.twoFactorRequired') : t('organization.twoFactorOptional'));
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
  if (!isOwner) return null;
  // Requiring it without having it would lock the owner out of their own org.
  const ownerLacksIt = own.data?.enabled === false && !org.requiresTwoFactor;
  return (
    <Paper withBorder p="md" radius="md" data-testid="two-factor-requirement">
      <Title order={4} mb={4}>
        {t('organization.twoFactorTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('organization.twoFactorBody')}
      </Text>
      <Switch
        label={t('organization.twoFactorSwitch')}
        checked={org.requiresTwoFactor}
        disabled={ownerLacksIt || own.isPending || save.isPending}
        onChange={(e) => save.mutate(e.currentTarget.checked)}
        data-testid="require-two-factor"
      />
      {ownerLacksIt && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('organization.twoFactorOwnerFirst')}
        </Text>
      )}
    </Paper>
  );
}
