import { Alert, Anchor, Button, Code, Loader, Stack, TextInput } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { getPasswordResetAvailability, requestPasswordReset } from '../../api/password-reset.js';
import { describeError } from '../../app/errors.js';
import { useSession } from '../../app/session.js';
import { PublicLayout } from '../../components/PublicLayout.js';

/** "Forgot password?": asks for a reset link by mail, or says who can help when this server sends no mail. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  // Loaded for its CSRF token: a browser still holding a session cookie must send it with the request.
  useSession();
  const availability = useQuery({ queryKey: ['password-reset'], queryFn: getPasswordResetAvailability, staleTime: Infinity });
  const [email, setEmail] = useState(params.get('email') ?? '');
  const ask = useMutation({ mutationFn: () => requestPasswordReset(email.trim()), meta: { quiet: true } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate();
  };
  const unavailable = availability.data?.byMail === false || (ask.error instanceof ApiError && ask.error.code === 'password_reset_unavailable');
  const backToSignIn = (
    <Anchor component={Link} to="/login" size="sm">
      {t('passwordReset.backToSignIn')}
    </Anchor>
  );

  let body;
  if (availability.isPending) body = <Loader size="sm" />;
  else if (unavailable) {
    body = (
      <Alert color="orange" title={t('passwordReset.unavailableTitle')} data-testid="password-reset-unavailable">
        <Stack gap="xs">
          {t('passwordReset.unavailable')}
          <Code block>chorus user set-password --email {email.trim() || 'you@example.com'} --password-stdin</Code>
        </Stack>
      </Alert>
    );
  } else if (ask.isSuccess) {
    body = (
      <Alert color="teal" title={t('passwordReset.sentTitle')} data-testid="password-reset-sent">
        {t('passwordReset.sent', { email: email.trim(), minutes: ask.data.linkLifetimeMinutes })}
      </Alert>
    );
  } else {
    body = (
      <form onSubmit={submit} data-testid="password-reset-request-form">
        <Stack gap="sm">
          {ask.error && (
            <Alert color="red" data-testid="password-reset-error">
              {describeError(ask.error)}
            </Alert>
          )}
          <TextInput label={t('fields.email')} type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
          <Button type="submit" loading={ask.isPending}>
            {t('passwordReset.submit')}
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <PublicLayout title={t('passwordReset.forgotTitle')} subtitle={t('passwordReset.forgotSubtitle')}>
      <Stack gap="md">
        {body}
        {backToSignIn}
      </Stack>
    </PublicLayout>
  );
}
