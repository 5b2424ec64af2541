import { useQuery } from '@tanstack/react-query';
import { getTwoFactor, listSessions } from '../../api/security.js';

export const TWO_FACTOR_KEY = ['me', 'two-factor'] as const;
export const SESSIONS_KEY = ['me', 'sessions'] as const;

export const useTwoFactor = (options: { enabled?: boolean } = {}) =>
  useQuery({ queryKey: TWO_FACTOR_KEY, queryFn: () => getTwoFactor().then((r) => r.twoFactor), ...options });

export const useSessions = () => useQuery({ queryKey: SESSIONS_KEY, queryFn: () => listSessions().then((r) => r.sessions) });
