import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { FullPageLoader } from './RequireSession.js';
import { homePath, useSession, useSetupStatus } from './session.js';

/** "/" and unknown paths: first run → setup, signed out → sign-in, else the first org's streams. */
export function Home() {
  const setup = useSetupStatus();
  const session = useSession();
  useOAuthErrorNotice();
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (!session.data) return <Navigate to="/login" replace />;
  return <Navigate to={homePath(session.data)} replace />;
}

/** A network sign-in that could not be tied to an org lands on "/?oauthError=…": say so before moving on. */
function useOAuthErrorNotice(): void {
  const { t } = useTranslation();
  const { search } = useLocation();
  useEffect(() => {
    const message = new URLSearchParams(search).get('oauthError');
    if (message) notifications.show({ id: 'oauth-error', color: 'red', title: t('channels.oauth.failed'), message, autoClose: false });
  }, [search, t]);
}
