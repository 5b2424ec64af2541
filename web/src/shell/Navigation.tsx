import { Anchor, NavLink, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink as RouterLink } from 'react-router';
import { orgPath } from '../app/paths.js';
import {
  AdminIcon,
  AnalyticsIcon,
  CalendarIcon,
  CampaignsIcon,
  CompaniesIcon,
  ContactsIcon,
  FormsIcon,
  InboxIcon,
  PublishIcon,
  SettingsIcon,
  StreamsIcon,
  TasksIcon,
  TeamIcon,
} from '../components/icons.js';
import { useInstanceAdmin } from '../pages/admin/instance-admin.js';

export const PAGES: { page: string; icon: ReactNode }[] = [
  { page: 'streams', icon: <StreamsIcon /> },
  { page: 'publish', icon: <PublishIcon /> },
  { page: 'calendar', icon: <CalendarIcon /> },
  { page: 'inbox', icon: <InboxIcon /> },
  { page: 'contacts', icon: <ContactsIcon /> },
  { page: 'forms', icon: <FormsIcon /> },
  { page: 'companies', icon: <CompaniesIcon /> },
  { page: 'tasks', icon: <TasksIcon /> },
  { page: 'campaigns', icon: <CampaignsIcon /> },
  { page: 'analytics', icon: <AnalyticsIcon /> },
  { page: 'team', icon: <TeamIcon /> },
  { page: 'settings', icon: <SettingsIcon /> },
];

// Runs the installation, not an org: only the instance admin sees it.
const ADMIN_PAGE = { page: 'admin', icon: <AdminIcon /> };

// The active link keeps its own background under the pointer: Mantine's hover shade for it leaves the
// label at 4.0:1 (axe's color-contrast, seen right after a click on the link).
const ACTIVE_HOVER = { '--nl-hover': 'var(--nl-bg)' };

export function Navigation({ orgId, onNavigate }: { orgId: string; onNavigate: () => void }) {
  const { t } = useTranslation();
  const pages = useInstanceAdmin() ? [...PAGES, ADMIN_PAGE] : PAGES;
  return (
    <Stack h="100%" justify="space-between" gap="xs">
      <Stack component="nav" gap={2} aria-label={t('nav.label')}>
        {pages.map(({ page, icon }) => (
          <RouterLink
            key={page}
            to={orgPath(orgId, page)}
            onClick={onNavigate}
            style={{ textDecoration: 'none', color: 'inherit' }}
            data-testid={`nav-${page}`}
          >
            {({ isActive }) => (
              <NavLink
                component="span"
                label={t(`nav.${page}`)}
                leftSection={icon}
                active={isActive}
                variant="light"
                styles={{ root: { borderRadius: 6 } }}
                style={isActive ? ACTIVE_HOVER : undefined}
              />
            )}
          </RouterLink>
        ))}
      </Stack>
      {/* Server-rendered and public: a full page load, outside this app. */}
      <Anchor href="/status" size="xs" c="dimmed" px="sm" pb={4} data-testid="nav-status-page">
        {t('nav.statusPage')}
      </Anchor>
    </Stack>
  );
}
