import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import {
  signInNetworkOf,
  startAppSignIn,
  startMastodonSignIn,
  type AppOAuthNetwork,
  type Channel,
  type ConnectableNetwork,
  type OAuthNetwork,
} from '../../api/channels.js';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../app/errors.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';

const OAUTH_NETWORKS: readonly string[] = ['x', 'mastodon', 'threads', 'linkedin', 'facebook', 'instagram'] satisfies OAuthNetwork[];

/** The server says `oauth: true` only for a network whose sign-in the operator has set up. */
export const canSignIn = (networks: ConnectableNetwork[], network: string): network is OAuthNetwork =>
  OAUTH_NETWORKS.includes(network) && networks.some((n) => n.network === network && n.oauth);

/** "mastodon.social" and "https://mastodon.social/" both mean the server at https://mastodon.social. */
export function instanceAddress(typed: string): string {
  const trimmed = typed.trim().replace(/^@?[^@\s/]+@(?=[^@\s/]+$)/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/** Leaves this app for the network's sign-in page; the network sends the browser back to Settings → Channels. */
function useSignIn(onRefused?: (error: unknown) => void) {
  const { org } = useCurrentOrg();
  return useMutation({
    meta: { quiet: true },
    mutationFn: (input: { network: AppOAuthNetwork } | { network: 'mastodon'; instanceUrl: string }) =>
      input.network === 'mastodon' ? startMastodonSignIn(org.id, input.instanceUrl) : startAppSignIn(org.id, input.network),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
    onError: onRefused,
  });
}

/** Connect a new account (or, on LinkedIn, the member's pages) by signing in on the network; the paste-token form stays below it. */
export function SignInToConnect({ network }: { network: OAuthNetwork }) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [instance, setInstance] = useState('');
  // The operator removed the app after this page loaded: the paste form below still works.
  const signInNetwork = network === 'mastodon' ? network : signInNetworkOf(network);
  const notConfigured = signIn.error instanceof ApiError && signIn.error.code === `${signInNetwork}_oauth_not_configured`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(network === 'mastodon' ? { network, instanceUrl: instanceAddress(instance) } : { network });
  };
  return (
    <form onSubmit={submit} data-testid={`oauth-connect-${network}`}>
      <Stack gap="xs">
        <Text size="sm" c="dimmed">
          {t(`channels.oauth.intro.${network}`)}
        </Text>
        <Group gap="sm" align="flex-end">
          {network === 'mastodon' && (
            <TextInput
              label={t('channels.oauth.instance')}
              description={t('channels.oauth.instanceHint')}
              placeholder="mastodon.social"
              required
              value={instance}
              onChange={(e) => setInstance(e.currentTarget.value)}
              autoComplete="url"
              spellCheck={false}
              w={300}
              data-testid="oauth-instance"
            />
          )}
          <Button
            type="submit"
            loading={signIn.isPending}
            leftSection={<NetworkIcon network={signInNetwork} size={18} />}
            data-testid={`oauth-start-${network}`}
          >
            {t(`channels.oauth.signIn.${network}`)}
          </Button>
        </Group>
        {signIn.error != null && (
          <Alert
            color={notConfigured ? 'yellow' : 'red'}
            variant="light"
            title={notConfigured ? t('channels.oauth.notConfigured', { network: t(`networks.${signInNetwork}`) }) : t('channels.oauth.startFailed')}
            data-testid="oauth-start-error"
          >
            <Text size="sm">{signIn.error instanceof ApiError ? signIn.error.message : describeError(signIn.error)}</Text>
            {notConfigured && (
              <Text size="sm" mt={4}>
                {t('channels.oauth.usePasteForm')}
              </Text>
            )}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

/** "Reconnect by signing in" for an account whose tokens stopped working (on LinkedIn, as one of the page's administrators). */
export function SignInToReconnect({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const instanceUrl = channel.profileUrl ? new URL(channel.profileUrl).origin : null;
  const signIn = useMutation({
    meta: { quiet: true },
    mutationFn: () =>
      channel.network === 'mastodon'
        ? startMastodonSignIn(org.id, instanceUrl ?? '', channel.id)
        : startAppSignIn(org.id, channel.network as AppOAuthNetwork, channel.id),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  });
  if (channel.network === 'mastodon' && !instanceUrl) return null;
  return (
    <Stack gap={4} align="flex-end">
      <Button
        size="xs"
        color="red"
        loading={signIn.isPending}
        onClick={() => signIn.mutate()}
        leftSection={<NetworkIcon network={channel.network} size={14} />}
        data-testid="channel-reconnect-oauth"
      >
        {t('channels.oauth.reconnect')}
      </Button>
      {signIn.error != null && (
        <Text size="xs" c="red" maw={320} ta="right" data-testid="oauth-reconnect-error">
          {signIn.error instanceof ApiError ? signIn.error.message : describeError(signIn.error)}
        </Text>
      )}
    </Stack>
  );
}

export interface OAuthLanding {
  /** Several after a LinkedIn sign-in that brought several pages. */
  connectedIds: string[];
  error: { message: string; network: string | null } | null;
}

/**
 * Where the network's sign-in sends the browser back: ?connected=<channel id> (once per channel),
 * ?oauthError=<message>&network=<network>, or both when some LinkedIn pages connected and others
 * did not. Read once, then cleared from the address so a reload does not announce it again.
 */
export function useOAuthLanding(): [OAuthLanding, () => void] {
  const location = useLocation();
  const navigate = useNavigate();
  const [landing, setLanding] = useState<OAuthLanding>(() => {
    const query = new URLSearchParams(location.search);
    const message = query.get('oauthError');
    return { connectedIds: query.getAll('connected'), error: message ? { message, network: query.get('network') } : null };
  });
  useEffect(() => {
    const query = new URLSearchParams(location.search);
    if (!query.has('connected') && !query.has('oauthError')) return;
    for (const key of ['connected', 'oauthError', 'network']) query.delete(key);
    const rest = query.toString();
    void navigate({ pathname: location.pathname, search: rest ? `?${rest}` : '' }, { replace: true });
  }, [location.pathname, location.search, navigate]);
  return [landing, () => setLanding({ connectedIds: [], error: null })];
}
