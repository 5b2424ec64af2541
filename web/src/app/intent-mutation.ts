import { useMutation, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query';
import { useRef } from 'react';
import { Intent } from '../api/intent.js';

type IntentMutationOptions<TData, TVariables, TContext> = Omit<UseMutationOptions<TData, Error, TVariables, TContext>, 'mutationFn'> & {
  /** Runs the intent; pass `intent.key()` (or `intent.key(part)` for each of several creates) to the API. */
  mutationFn: (variables: TVariables, intent: Intent) => Promise<TData>;
};

/**
 * A mutation that creates something, run as one user intent: `mutate` makes a fresh Intent
 * (its Idempotency-Key) when the user starts it, and ignores further calls until it settles.
 * A double-click is therefore one intent and one request, even in the moment before the
 * button shows `loading` (React renders the pending state after the click handlers ran).
 */
export function useIntentMutation<TData, TVariables = void, TContext = unknown>(
  options: IntentMutationOptions<TData, TVariables, TContext>,
): UseMutationResult<TData, Error, TVariables, TContext> {
  const current = useRef<Intent | null>(null);
  const mutation = useMutation<TData, Error, TVariables, TContext>({
    ...options,
    mutationFn: (variables) => options.mutationFn(variables, current.current ?? new Intent()),
    onSettled: (...args) => {
      current.current = null;
      return options.onSettled?.(...args);
    },
  });
  const mutate: typeof mutation.mutate = (...args) => {
    if (current.current) return;
    current.current = new Intent();
    mutation.mutate(...args);
  };
  return { ...mutation, mutate };
}
