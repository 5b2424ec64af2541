import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import { completeSignIn, type TwoFactorChallenge } from '../../api/session.js';
import type { Session } from '../../api/types.js';
import { describeError } from '../../app/errors.js';

/** Codes are typed or pasted with spaces ("123 456"); the server wants the digits. */
const digitsOf = (value: string): string => value.replace(/\s/g, '');

/** The sign-in page's second step: a code from the authenticator app, or one of the recovery codes. */
export function TwoFactorStep({
  challenge,
  onSignedIn,
  onStartOver,
}: {
  challenge: TwoFactorChallenge;
  onSignedIn: (session: Session) => void;
  onStartOver: () => void;
}) {
  const { t } = useTranslation();
  const [useRecoveryCode, setUseRecoveryCode] = useState(false);
  const [value, setValue] = useState('');
  const verify = useMutation({
    mutationFn: () => completeSignIn(challenge.challenge, useRecoveryCode ? { recoveryCode: value.trim() } : { code: digitsOf(value) }),
    meta: { quiet: true },
    onSuccess: onSignedIn,
  });
  const expired = verify.error instanceof ApiError && verify.error.code === 'sign_in_expired';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    verify.mutate();
  };
  const switchKind = () => {
    setUseRecoveryCode(!useRecoveryCode);
    setValue('');
    verify.reset();
  };
  return (
    <form onSubmit={submit} data-testid="two-factor-form">
      <Stack gap="sm">
        <Text size="sm">{useRecoveryCode ? t('twoFactor.signIn.recoveryIntro') : t('twoFactor.signIn.codeIntro')}</Text>
        {verify.error && (
          <Alert color={expired ? 'orange' : 'red'} title={t('login.failedTitle')} data-testid="two-factor-error">
            {describeError(verify.error)}
          </Alert>
        )}
        {useRecoveryCode ? (
          <TextInput
            label={t('twoFactor.recoveryCode')}
            required
            autoComplete="off"
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            data-testid="recovery-code-input"
          />
        ) : (
          <TextInput
            label={t('twoFactor.code')}
            required
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={7}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            data-testid="two-factor-code"
            autoFocus
          />
        )}
        {expired ? (
          <Button onClick={onStartOver} mt="xs">
            {t('twoFactor.signIn.startOver')}
          </Button>
        ) : (
          <Button type="submit" loading={verify.isPending} mt="xs">
            {t('twoFactor.signIn.verify')}
          </Button>
        )}
        <Group justify="space-between">
          <Anchor component="button" type="button" size="sm" onClick={switchKind} data-testid="two-factor-switch">
            {useRecoveryCode ? t('twoFactor.signIn.useApp') : t('twoFactor.signIn.useRecoveryCode')}
          </Anchor>
          <Anchor component="button" type="button" size="sm" c="dimmed" onClick={onStartOver}>
            {t('twoFactor.signIn.back')}
          </Anchor>
        </Group>
      </Stack>
    </form>
  );
}
