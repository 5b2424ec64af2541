import { Center, Loader } from '@mantine/core';
import type { ReactElement } from 'react';
import { Navigate, useLocation } from 'react-router';
import type { Session } from '../api/types.js';
import { useSession } from './session.js';

/** Renders its page for a signed-in user; anyone else goes to sign-in and comes back afterwards. */
export function RequireSession({ page }: { page: (session: Session) => ReactElement }) {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (!session.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  return page(session.data);
}

export function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader />
    </Center>
  );
}
