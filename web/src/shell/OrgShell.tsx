import { AppShell, Burger, Button, EmptyState, Group, Loader, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useParams } from 'react-router';
import type { Session } from '../api/types.js';
import { PageErrorBoundary } from '../app/PageErrorBoundary.js';
import { usePickLanguage } from '../app/session.js';
import { ChorusMark } from '../components/icons.js';
import { LanguagePicker } from '../components/LanguagePicker.js';
import { isLocale, showLanguage } from '../i18n/language.js';
import { NotificationBell } from '../pages/notifications/NotificationBell.js';
import type { CurrentOrg } from './current-org.js';
import { Navigation } from './Navigation.js';
import { OrgSwitcher } from './OrgSwitcher.js';
import { TwoFactorRequired, useTwoFactorLock } from './TwoFactorRequired.js';
import { UserMenu } from './UserMenu.js';

/** The signed-in frame: header (org switcher, language, user) and the capability navigation. */
export function OrgShell({ session }: { session: Session }) {
  const { t } = useTranslation();
  const { orgId = '' } = useParams();
  const { pathname } = useLocation();
  const [navOpened, nav] = useDisclosure(false);
  const pickLanguage = usePickLanguage();
  const org = session.orgs.find((o) => o.id === orgId);
  const lock = useTwoFactorLock(org);

  // The account's saved language follows the user to every device.
  useEffect(() => {
    if (isLocale(session.user.locale)) void showLanguage(session.user.locale);
  }, [session.user.locale]);

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 210, breakpoint: 'sm', collapsed: { mobile: !navOpened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px={{ base: 'xs', sm: 'md' }} gap="xs" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Burger opened={navOpened} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Group
              gap={8}
              wrap="nowrap"
              renderRoot={(props) => <Link to="/" aria-label="Chorus" {...props} />}
              style={{ textDecoration: 'none', color: 'inherit' }}
            >
              <ChorusMark size={24} />
              <Text fw={700} visibleFrom="xs">
                Chorus
              </Text>
            </Group>
            {org && <OrgSwitcher current={org} orgs={session.orgs} />}
          </Group>
          <Group gap="xs" wrap="nowrap" style={{ flex: 'none' }}>
            {org && lock === 'open' && <NotificationBell key={org.id} orgId={org.id} />}
            <LanguagePicker onPick={pickLanguage} />
            <UserMenu user={session.user} orgId={orgId} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">{org && lock === 'open' && <Navigation orgId={org.id} onNavigate={nav.close} />}</AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        {!org ? (
          <OrgNotFound />
        ) : lock === 'locked' ? (
          <TwoFactorRequired org={org} />
        ) : lock === 'pending' ? (
          <Loader size="sm" />
        ) : (
          // The page (its code downloaded on first use) changes under a header and navigation that stay.
          <PageErrorBoundary resetKey={pathname}>
            <Suspense fallback={<Loader size="sm" data-testid="page-loading" />}>
              <Outlet key={org.id} context={{ org, session } satisfies CurrentOrg} />
            </Suspense>
          </PageErrorBoundary>
        )}
      </AppShell.Main>
    </AppShell>
  );
}

function OrgNotFound() {
  const { t } = useTranslation();
  return (
    <EmptyState mt="xl" title={t('orgs.notFoundTitle')} description={t('orgs.notFoundBody')} data-testid="org-not-found">
      <EmptyState.Actions>
        <Button component={Link} to="/">
          {t('common.goHome')}
        </Button>
      </EmptyState.Actions>
    </EmptyState>
  );
}
