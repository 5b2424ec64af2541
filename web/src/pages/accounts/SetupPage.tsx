import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { createOwner } from '../../api/session.js';
import { useEnterApp, useSetupStatus } from '../../app/session.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { currentLanguage } from '../../i18n/language.js';

export const MIN_PASSWORD_LENGTH = 10;

/** First run: the person who installed Chorus creates the owner account and the first organization. */
export function SetupPage() {
  const { t } = useTranslation();
  const setup = useSetupStatus();
  const enterApp = useEnterApp();
  const [form, setForm] = useState({ name: '', email: '', password: '', orgName: '' });
  const create = useMutation({
    mutationFn: () => createOwner({ ...form, locale: currentLanguage() }),
    onSuccess: (session) => enterApp(session, { newAccount: true }),
  });
  if (setup.data && !setup.data.setupRequired) return <Navigate to="/login" replace />;

  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <PublicLayout title={t('setup.title')} subtitle={t('setup.subtitle')}>
      <form onSubmit={submit} data-testid="setup-form">
        <Stack gap="sm">
          <TextInput label={t('fields.name')} required autoComplete="name" {...field('name')} />
          <TextInput label={t('fields.email')} type="email" required autoComplete="email" {...field('email')} />
          <PasswordInput
            label={t('fields.password')}
            description={t('fields.passwordRule', { min: MIN_PASSWORD_LENGTH })}
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            {...field('password')}
          />
          <TextInput label={t('fields.orgName')} description={t('setup.orgHint')} required {...field('orgName')} />
          <Button type="submit" loading={create.isPending} mt="xs">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </PublicLayout>
  );
}
