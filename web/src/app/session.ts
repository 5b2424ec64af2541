import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { updateProfile } from '../api/me.js';
import { getSession, getSetupStatus, signOut } from '../api/session.js';
import type { Locale, Session } from '../api/types.js';
import { orgPath } from './paths.js';
import { currentLanguage, pickLanguageBeforeSignIn, showLanguage, takeLanguagePickedBeforeSignIn } from '../i18n/language.js';

export const SESSION_KEY = ['session'] as const;

export const useSession = () => useQuery({ queryKey: SESSION_KEY, queryFn: getSession, staleTime: Infinity });

export const useSetupStatus = () => useQuery({ queryKey: ['setup'], queryFn: getSetupStatus, staleTime: Infinity });

export const homePath = (session: Session): string => {
  const first = session.orgs[0];
  return first ? orgPath(first.id, 'streams') : '/welcome';
};

/**
 * Takes a fresh session (sign-in, setup, invitation sign-up) into the app. A language picked on
 * the sign-in page, or the one a new account was created in, is saved to the account first.
 */
export function useEnterApp() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return async (session: Session, options: { newAccount?: boolean; next?: string | null } = {}) => {
    const picked = takeLanguagePickedBeforeSignIn() ?? (options.newAccount ? currentLanguage() : null);
    let user = session.user;
    if (picked && picked !== user.locale) user = (await updateProfile({ locale: picked })).user;
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    queryClient.setQueryData(SESSION_KEY, { ...session, user });
    queryClient.setQueryData(['setup'], { setupRequired: false });
    await navigate(options.next ?? homePath(session));
  };
}

export function useSignOut() {
  return useMutation({
    mutationFn: signOut,
    // A full page load: nothing of the previous user (cached data, invitation links) stays in memory.
    onSuccess: () => window.location.assign('/login'),
  });
}

/**
 * Switches the language at once; signed in, the choice is saved to the account, signed out it
 * is remembered and saved on sign-in.
 */
export function usePickLanguage(): (locale: Locale) => void {
  const queryClient = useQueryClient();
  const session = useSession();
  const save = useMutation({
    mutationFn: (locale: Locale) => updateProfile({ locale }),
    onSuccess: ({ user }) => queryClient.setQueryData<Session | null>(SESSION_KEY, (current) => current && { ...current, user }),
  });
  return (locale) => {
    if (!session.data) return void pickLanguageBeforeSignIn(locale);
    void showLanguage(locale);
    save.mutate(locale);
  };
}
