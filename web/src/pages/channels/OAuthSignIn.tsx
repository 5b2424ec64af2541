import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { startMastodonSignIn, startXSignIn, type Channel, type ConnectableNetwork, type OAuthNetwork } from '../../api/channels.js';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../app/errors.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';

export const canSignIn = (networks: ConnectableNetwork[], network: string): network is OAuthNetwork =>
  (network === 'x' || network === 'mastodon') && networks.some((n) => n.network === network && n.oauth);

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
    mutationFn: (input: { network: 'x' } | { network: 'mastodon'; instanceUrl: string }) =>
      input.network === 'x' ? startXSignIn(org.id) : startMastodonSignIn(org.id, input.instanceUrl),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
    onError: onRefused,
  });
}

/** Connect a new X or Mastodon account by signing in on it; the paste-token form stays below it. */
export function SignInToConnect({ network }: { network: OAuthNetwork }) {
  const { t } = useTranslation();
  const signIn = useSignIn();
  const [instance, setInstance] = useState('');
  const notConfigured = signIn.error instanceof ApiError && signIn.error.code === 'x_oauth_not_configured';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(network === 'x' ? { network } : { network, instanceUrl: instanceAddress(instance) });
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
          <Button type="submit" loading={signIn.isPending} leftSection={<NetworkIcon network={network} size={18} />} data-testid={`oauth-start-${network}`}>
            {t(`channels.oauth.signIn.${network}`)}
          </Button>
        </Group>
        {signIn.error != null && (
          <Alert
            color={notConfigured ? 'yellow' : 'red'}
            variant="light"
            title={notConfigured ? t('channels.oauth.notConfigured') : t('channels.oauth.startFailed')}
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

/** "Reconnect by signing in" for an X or Mastodon account whose tokens stopped working. */
export function SignInToReconnect({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const instanceUrl = channel.profileUrl ? new URL(channel.profileUrl).origin : null;
  const signIn = useMutation({
    meta: { quiet: true },
    mutationFn: () => (channel.network === 'x' ? startXSignIn(org.id, channel.id) : startMastodonSignIn(org.id, instanceUrl ?? '', channel.id)),
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
  connectedId: string | null;
  error: { message: string; network: string | null } | null;
}

/**
 * Where the network's sign-in sends the browser back: ?connected=<channel id> or
 * ?oauthError=<message>&network=<x|mastodon>. Read once, then cleared from the address so a reload
 * does not announce it again.
 */
export function useOAuthLanding(): [OAuthLanding, () => void] {
  const location = useLocation();
  const navigate = useNavigate();
  const [landing, setLanding] = useState<OAuthLanding>(() => {
    const query = new URLSearchParams(location.search);
    const message = query.get('oauthError');
    return { connectedId: query.get('connected'), error: message ? { message, network: query.get('network') } : null };
  });
  useEffect(() => {
    const query = new URLSearchParams(location.search);
    if (!query.has('connected') && !query.has('oauthError')) return;
    for (const key of ['connected', 'oauthError', 'network']) query.delete(key);
    const rest = query.toString();
    void navigate({ pathname: location.pathname, search: rest ? `?${rest}` : '' }, { replace: true });
  }, [location.pathname, location.search, navigate]);
  return [landing, () => setLanding({ connectedId: null, error: null })];
}
