import { Navigate } from 'react-router';
import { FullPageLoader } from './RequireSession.js';
import { homePath, useSession, useSetupStatus } from './session.js';

/** "/" and unknown paths: first run → setup, signed out → sign-in, else the first org's streams. */
export function Home() {
  const setup = useSetupStatus();
  const session = useSession();
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.data?.setupRequired) return <Navigate to="/setup" replace />;
  if (!session.data) return <Navigate to="/login" replace />;
  return <Navigate to={homePath(session.data)} replace />;
}
