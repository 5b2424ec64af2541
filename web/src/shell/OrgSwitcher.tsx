import { Badge, Button, Group, Menu, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import type { Org } from '../api/types.js';
import { orgPath } from '../app/paths.js';
import { CreateOrgModal } from './CreateOrgModal.js';

/** Switches between the user's organizations, staying on the same page; or creates a new one. */
export function OrgSwitcher({ current, orgs }: { current: Org; orgs: Org[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [creating, setCreating] = useState(false);
  const page = location.pathname.split('/')[3] ?? 'streams';
  return (
    <>
      <Menu position="bottom-start" width={280} shadow="md">
        <Menu.Target>
          <Button
            variant="default"
            size="xs"
            data-testid="org-switcher"
            title={t('orgs.switch')}
            rightSection={<span aria-hidden="true">▾</span>}
            maw={{ base: 120, sm: 260 }}
          >
            <Text size="sm" fw={600} truncate>
              {current.name}
            </Text>
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('orgs.yourOrgs')}</Menu.Label>
          {orgs.map((org) => (
            <Menu.Item
              key={org.id}
              onClick={() => void navigate(orgPath(org.id, page))}
              data-testid="org-option"
              bg={org.id === current.id ? 'var(--mantine-color-blue-light)' : undefined}
            >
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" truncate>
                  {org.name}
                </Text>
                <Badge size="xs" variant="light" color="gray">
                  {t(`roles.${org.role}`)}
                </Badge>
              </Group>
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => setCreating(true)} data-testid="create-org">
            {t('orgs.createMenu')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <CreateOrgModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
