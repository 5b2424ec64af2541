import { Avatar, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { User } from '../api/types.js';
import { orgPath } from '../app/paths.js';
import { useSignOut } from '../app/session.js';

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => [...part][0]!.toUpperCase())
    .join('');

export function UserMenu({ user, orgId }: { user: User; orgId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <UnstyledButton data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar size={28} radius="xl" color="blue" aria-hidden>
              {initials(user.name)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={160} truncate>
              {user.name}
            </Text>
            {/* The name shows from "sm" up; the button is named the same everywhere, starting with what it shows. */}
            <VisuallyHidden>{t('user.menu')}</VisuallyHidden>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{user.email}</Menu.Label>
        <Menu.Item onClick={() => void navigate(orgPath(orgId, 'settings/profile'))}>{t('user.profile')}</Menu.Item>
        <Menu.Item onClick={() => void navigate(orgPath(orgId, 'settings/security'))}>{t('user.security')}</Menu.Item>
        <Menu.Item onClick={() => void navigate(orgPath(orgId, 'settings/tokens'))}>{t('user.apiTokens')}</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => signOut.mutate()} data-testid="sign-out">
          {t('user.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
