import { useQuery } from '@tanstack/react-query';
import { getSession } from '../../api/session.js';
import { useSession } from '../../app/session.js';

/**
 * Whether the signed-in user runs this installation (the first user ever created). Only
 * GET /api/session says so; a session taken from sign-in or setup asks once more. The server
 * still refuses every instance-admin route to anyone else. Undefined while it is being asked.
 */
export function useInstanceAdmin(): boolean | undefined {
  const session = useSession();
  const known = session.data?.instanceAdmin;
  const asked = useQuery({
    queryKey: ['instance-admin', session.data?.user.id],
    queryFn: async () => (await getSession())?.instanceAdmin ?? false,
    enabled: session.data != null && known === undefined,
    staleTime: Infinity,
  });
  return known ?? asked.data;
}
