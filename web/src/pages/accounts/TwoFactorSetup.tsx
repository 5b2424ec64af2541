import { Button, Code, Group, Image, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { confirmEnrolment, startEnrolment } from '../../api/security.js';
import { RecoveryCodes } from './RecoveryCodes.js';

/**
 * Turning two-factor sign-in on: the password, then the QR code (or the secret to type) and the
 * app's first code, then the recovery codes. `onDone` runs once the codes are put away.
 */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: () => startEnrolment(password) });
  const confirm = useMutation({ mutationFn: () => confirmEnrolment(code.replace(/\s/g, '')) });

  if (confirm.data) return <RecoveryCodes codes={confirm.data.recoveryCodes} onDone={onDone} />;
  if (!start.data) {
    const submit = (e: FormEvent) => {
      e.preventDefault();
      start.mutate();
    };
    return (
      <form onSubmit={submit} data-testid="two-factor-start">
        <Group align="flex-end" gap="sm">
          <PasswordInput
            label={t('profile.currentPassword')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            autoComplete="current-password"
            w={260}
          />
          <Button type="submit" loading={start.isPending} data-testid="two-factor-begin">
            {t('twoFactor.continue')}
          </Button>
        </Group>
      </form>
    );
  }
  const { enrolment } = start.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };
  return (
    <Stack gap="sm" data-testid="two-factor-enrolment">
      <Text size="sm">{t('twoFactor.scan')}</Text>
      <Group align="flex-start" gap="lg">
        <Image src={enrolment.qrCode} alt={t('twoFactor.qrAlt')} w={180} h={180} data-testid="two-factor-qr" />
        <Stack gap={4} maw={360}>
          <Text size="sm" c="dimmed">
            {t('twoFactor.typeInstead')}
          </Text>
          <Code block data-testid="two-factor-secret">
            {enrolment.secret.match(/.{1,4}/g)!.join(' ')}
          </Code>
        </Stack>
      </Group>
      <form onSubmit={submit}>
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('twoFactor.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={7}
            w={160}
            data-testid="two-factor-confirm-code"
          />
          <Button type="submit" loading={confirm.isPending} data-testid="two-factor-confirm">
            {t('twoFactor.turnOn')}
          </Button>
        </Group>
      </form>
    </Stack>
  );
}
