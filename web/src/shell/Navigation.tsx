import { NavLink, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink } from 'react-router';
import { orgPath } from '../app/paths.js';
import { AnalyticsIcon, CalendarIcon, ContactsIcon, InboxIcon, PublishIcon, SettingsIcon, StreamsIcon } from '../components/icons.js';

export const PAGES: { page: string; icon: ReactNode }[] = [
  { page: 'streams', icon: <StreamsIcon /> },
  { page: 'publish', icon: <PublishIcon /> },
  { page: 'calendar', icon: <CalendarIcon /> },
  { page: 'inbox', icon: <InboxIcon /> },
  { page: 'contacts', icon: <ContactsIcon /> },
  { page: 'analytics', icon: <AnalyticsIcon /> },
  { page: 'settings', icon: <SettingsIcon /> },
];

export function Navigation({ orgId, onNavigate }: { orgId: string; onNavigate: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack component="nav" gap={2} aria-label={t('nav.label')}>
      {PAGES.map(({ page, icon }) => (
        <RouterLink key={page} to={orgPath(orgId, page)} onClick={onNavigate} style={{ textDecoration: 'none', color: 'inherit' }} data-testid={`nav-${page}`}>
          {({ isActive }) => <NavLink component="span" label={t(`nav.${page}`)} leftSection={icon} active={isActive} variant="light" styles={{ root: { borderRadius: 6 } }} />}
        </RouterLink>
      ))}
    </Stack>
  );
}
