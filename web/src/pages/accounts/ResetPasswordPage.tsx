import { Alert, Anchor, Button, Loader, PasswordInput, Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { previewResetLink, resetPassword } from '../../api/password-reset.js';
import { describeError } from '../../app/errors.js';
import { SESSION_KEY, useSession } from '../../app/session.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { MIN_PASSWORD_LENGTH } from './SetupPage.js';

/** The page a mailed reset link opens: a new password, then sign in with it. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  // Loaded for its CSRF token: a browser still holding a session cookie must send it with the reset.
  useSession();
  const link = useQuery({ queryKey: ['password-reset', token], queryFn: () => previewResetLink(token), retry: false, meta: { quiet: true } });
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const reset = useMutation({
    mutationFn: () => resetPassword(token, password),
    meta: { quiet: true },
    // The reset ended every session, this browser's too.
    onSuccess: () => queryClient.setQueryData(SESSION_KEY, null),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate();
  };
  const askAgain = (
    <Anchor component={Link} to="/forgot-password" size="sm">
      {t('passwordReset.askAgain')}
    </Anchor>
  );

  let body;
  if (link.isPending) body = <Loader size="sm" />;
  else if (reset.isSuccess) {
    body = (
      <Stack gap="sm">
        <Alert color="teal" title={t('passwordReset.doneTitle')} data-testid="password-reset-done">
          {t('passwordReset.done', { email: reset.data.email })}
        </Alert>
        <Button component={Link} to="/login">
          {t('passwordReset.signIn')}
        </Button>
      </Stack>
    );
  } else if (link.error) {
    body = (
      <Stack gap="sm">
        <Alert color="red" title={t('passwordReset.invalidTitle')} data-testid="password-reset-invalid">
          {describeError(link.error)}
        </Alert>
        {askAgain}
      </Stack>
    );
  } else {
    body = (
      <form onSubmit={submit} data-testid="password-reset-form">
        <Stack gap="sm">
          {reset.error && (
            <Alert color="red" data-testid="password-reset-error">
              {describeError(reset.error)}
            </Alert>
          )}
          <PasswordInput
            label={t('passwordReset.newPassword')}
            description={t('fields.passwordRule', { min: MIN_PASSWORD_LENGTH })}
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={reset.isPending}>
            {t('passwordReset.resetSubmit')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <PublicLayout title={t('passwordReset.resetTitle')} subtitle={t('passwordReset.resetSubtitle')}>
      {body}
    </PublicLayout>
  );
}
