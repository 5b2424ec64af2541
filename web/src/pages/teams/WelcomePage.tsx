import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../../api/types.js';
import { useSignOut } from '../../app/session.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { CreateOrgModal } from '../../shell/CreateOrgModal.js';

/** A signed-in user who belongs to no organization (left or removed from all): start one, or wait for an invitation. */
export function WelcomePage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const signOut = useSignOut();
  const [creating, setCreating] = useState(false);
  return (
    <PublicLayout title={t('welcome.title', { name: session.user.name })} subtitle={t('welcome.subtitle')}>
      <Stack gap="sm" data-testid="welcome">
        <Text size="sm">{t('welcome.body')}</Text>
        <Button onClick={() => setCreating(true)}>{t('orgs.createMenu')}</Button>
        <Button variant="subtle" color="gray" onClick={() => signOut.mutate()}>
          {t('user.signOut')}
        </Button>
      </Stack>
      <CreateOrgModal opened={creating} onClose={() => setCreating(false)} />
    </PublicLayout>
  );
}
