import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { notifyError } from './errors.js';

// Every failed request reaches the user as a notification, unless its page shows it in place (meta.quiet).
export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => void (query.meta?.quiet || notifyError(error)) }),
  mutationCache: new MutationCache({ onError: (error, _variables, _context, mutation) => void (mutation.meta?.quiet || notifyError(error)) }),
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 } },
});
