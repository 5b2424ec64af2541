import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/client.js';
import { notifyError } from './errors.js';
import { SESSION_KEY } from './session.js';

/**
 * An owner may start requiring two-factor sign-in while a member works: the session is read
 * again, so its org says so and the shell leads the member to enrolment.
 */
function onRequestError(error: unknown): void {
  if (error instanceof ApiError && error.code === 'two_factor_required') void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
}

// Every failed request reaches the user as a notification, unless its page shows it in place (meta.quiet).
export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      onRequestError(error);
      if (!query.meta?.quiet) notifyError(error);
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => {
      onRequestError(error);
      if (!mutation.meta?.quiet) notifyError(error);
    },
  }),
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } },
});
