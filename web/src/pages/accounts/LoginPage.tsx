import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { signIn, type TwoFactorChallenge } from '../../api/session.js';
import { describeError } from '../../app/errors.js';
import { homePath, useEnterApp, useSession, useSetupStatus } from '../../app/session.js';
import { safeNext } from '../../app/paths.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { TwoFactorStep } from './TwoFactorStep.js';

/** "14:59" for a wait of 899 seconds. */
const minutesAndSeconds = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** Seconds left until a lockout ends, counting down once a second, and when it ends. */
function useCountdown(): [number, Date, (seconds: number) => void] {
  const [until, setUntil] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until <= now) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [until, now]);
  const left = Math.max(0, Math.ceil((until - now) / 1000));
  return [
    left,
    new Date(until),
    (seconds) => {
      setNow(Date.now());
      setUntil(Date.now() + seconds * 1000);
    },
  ];
}

export function LoginPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const setup = useSetupStatus();
  const session = useSession();
  const enterApp = useEnterApp();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [lockedFor, lockedUntil, lockFor] = useCountdown();
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);
  const login = useMutation({
    mutationFn: () => signIn({ email, password }),
    // Shown in place, above the form: a lockout must be impossible to miss.
    meta: { quiet: true },
    onSuccess: (result) => ('twoFactorRequired' in result ? setChallenge(result) : enterApp(result, { next })),
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'too_many_attempts') {
        lockFor(Number((error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60));
      }
    },
  });
  if (setup.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (session.data && !login.isPending) return <Navigate to={next ?? homePath(session.data)} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  // An account lockout is about that email: another account may still be tried (the server decides).
  const changeEmail = (value: string) => {
    setEmail(value);
    if (lockedFor > 0) {
      lockFor(0);
      login.reset();
    }
  };
  const locked = login.error instanceof ApiError && login.error.code === 'too_many_attempts';
  if (challenge) {
    const startOver = () => {
      setChallenge(null);
      setPassword('');
      login.reset();
    };
    return (
      <PublicLayout title={t('twoFactor.signIn.title')}>
        <TwoFactorStep challenge={challenge} onSignedIn={(session) => void enterApp(session, { next })} onStartOver={startOver} />
      </PublicLayout>
    );
  }
  return (
    <PublicLayout title={t('login.title')} subtitle={next?.startsWith('/invite/') ? t('login.toAcceptInvitation') : t('login.subtitle')}>
      <form onSubmit={submit} data-testid="login-form">
        <Stack gap="sm">
          {login.error && (
            <Alert color={locked ? 'orange' : 'red'} title={locked ? t('login.lockedTitle') : t('login.failedTitle')} data-testid="login-error">
              {locked && lockedFor > 0
                ? t('login.lockedUntil', { time: new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(lockedUntil) })
                : describeError(login.error)}
            </Alert>
          )}
          <TextInput
            label={t('fields.email')}
            type="email"
            required
            autoComplete="username"
            value={email}
            onChange={(e) => changeEmail(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('fields.password')}
            required
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Button type="submit" loading={login.isPending} disabled={lockedFor > 0} mt="xs">
            {lockedFor > 0 ? t('login.retryIn', { wait: minutesAndSeconds(lockedFor) }) : t('login.submit')}
          </Button>
          <Anchor
            component={Link}
            to={email ? `/forgot-password?email=${encodeURIComponent(email.trim())}` : '/forgot-password'}
            size="sm"
            data-testid="forgot-password"
          >
            {t('login.forgotPassword')}
          </Anchor>
        </Stack>
      </form>
    </PublicLayout>
  );
}
