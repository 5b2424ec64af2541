import { Button, Checkbox, Group, Paper, PasswordInput, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { changePassword, listApiTokens, updateProfile } from '../../api/me.js';
import { LOCALES, type Session } from '../../api/types.js';
import { notifySuccess } from '../../app/errors.js';
import { SESSION_KEY, usePickLanguage } from '../../app/session.js';
import { LANGUAGE_NAMES } from '../../i18n/index.js';
import { currentLanguage, isLocale } from '../../i18n/language.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { TOKENS_KEY } from './ApiTokensTab.js';
import { SESSIONS_KEY } from './security-queries.js';
import { MIN_PASSWORD_LENGTH } from './SetupPage.js';

/** Settings → Profile: the user's own name, language and password. */
export function ProfileTab() {
  return (
    <Stack gap="lg" maw={720}>
      <NameForm />
      <LanguageChoice />
      <PasswordForm />
    </Stack>
  );
}

function NameForm() {
  const { t } = useTranslation();
  const { session } = useCurrentOrg();
  const queryClient = useQueryClient();
  const [name, setName] = useState(session.user.name);
  const save = useMutation({
    mutationFn: () => updateProfile({ name }),
    onSuccess: ({ user }) => {
      queryClient.setQueryData<Session | null>(SESSION_KEY, (s) => s && { ...s, user });
      notifySuccess(t('profile.saved'));
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb="sm">
        {t('profile.title')}
      </Title>
      <form onSubmit={submit} data-testid="profile-form">
        <Group align="flex-end" gap="sm">
          <TextInput label={t('fields.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required w={260} />
          <TextInput label={t('fields.email')} value={session.user.email} readOnly w={260} />
          <Button type="submit" loading={save.isPending} disabled={name.trim() === session.user.name}>
            {t('common.save')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}

function LanguageChoice() {
  const { t } = useTranslation();
  const pickLanguage = usePickLanguage();
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb={4}>
        {t('language.label')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('profile.languageHint')}
      </Text>
      <SegmentedControl
        data={LOCALES.map((locale) => ({ value: locale, label: LANGUAGE_NAMES[locale] }))}
        value={currentLanguage()}
        onChange={(value) => isLocale(value) && pickLanguage(value)}
        data-testid="profile-language"
      />
    </Paper>
  );
}

function PasswordForm() {
  const { t } = useTranslation();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [revokeApiTokens, setRevokeApiTokens] = useState(false);
  const queryClient = useQueryClient();
  // A password change may follow a leak: whoever had the password may also have made tokens.
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => listApiTokens().then((r) => r.tokens) });
  const tokenCount = tokens.data?.length ?? 0;
  const change = useMutation({
    mutationFn: () => changePassword({ currentPassword, newPassword, revokeApiTokens: revokeApiTokens && tokenCount > 0 }),
    onSuccess: async () => {
      setCurrentPassword('');
      setNewPassword('');
      setRevokeApiTokens(false);
      notifySuccess(revokeApiTokens && tokenCount > 0 ? t('profile.passwordChangedTokensRevoked') : t('profile.passwordChanged'));
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb={4}>
        {t('profile.passwordTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('profile.passwordHint')}
      </Text>
      <form onSubmit={submit} data-testid="password-form">
        <Group align="flex-end" gap="sm">
          <PasswordInput
            label={t('profile.currentPassword')}
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.currentTarget.value)}
            required
            autoComplete="current-password"
            w={220}
          />
          <PasswordInput
            label={t('profile.newPassword')}
            value={newPassword}
            onChange={(e) => setNewPassword(e.currentTarget.value)}
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            w={220}
          />
          <Button type="submit" loading={change.isPending}>
            {t('profile.changePassword')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t('fields.passwordRule', { min: MIN_PASSWORD_LENGTH })}
        </Text>
        {tokenCount > 0 && (
          <Checkbox
            mt="sm"
            label={t('profile.revokeTokens', { count: tokenCount })}
            checked={revokeApiTokens}
            onChange={(e) => setRevokeApiTokens(e.currentTarget.checked)}
            data-testid="password-revoke-tokens"
          />
        )}
      </form>
    </Paper>
  );
}
