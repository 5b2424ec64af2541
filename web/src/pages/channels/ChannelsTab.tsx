import { Alert, Badge, Button, Chip, Divider, Group, List, Loader, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  checkChannel,
  connectChannel,
  reconnectChannel,
  removeChannel,
  type Channel,
  type ConnectableNetwork,
  type Network,
  type ReadNote,
} from '../../api/channels.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { can } from '../../app/permissions.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { TokenExpiryBadge } from '../../components/TokenExpiryBadge.js';
import { tokenExpiryState } from '../../components/token-expiry.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { channelsKey, useChannels } from './channel-queries.js';
import { CredentialsForm } from './CredentialsForm.js';
import { LineWebhookAddress } from './LineWebhookAddress.js';
import { MetaWebhookAddress } from './MetaWebhookAddress.js';
import { reconnectInitials } from './network-forms.js';
import { canSignIn, SignInToConnect, SignInToReconnect, useOAuthLanding, type OAuthLanding } from './OAuthSignIn.js';

/** Settings → Channels: the org's connected accounts, their health, and connecting more. */
export function ChannelsTab() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const channels = useChannels(org.id);
  const canManage = can(org.role, 'channels.manage');
  const [landing, dismissLanding] = useOAuthLanding();
  if (channels.isPending) return <Loader size="sm" />;
  if (channels.isError) return <Alert color="red">{describeError(channels.error)}</Alert>;
  const { channels: list, networks } = channels.data;
  return (
    <Stack gap="lg" data-testid="channels-tab">
      {!canManage && (
        <Alert color="gray" variant="light" data-testid="channels-read-only">
          {t('channels.readOnly', { role: t(`roles.${org.role}`) })}
        </Alert>
      )}
      <LandingMessage landing={landing} channels={list} networks={networks} onClose={dismissLanding} />
      <Paper withBorder radius="md" p="md">
        <Title order={4} mb="sm">
          {t('channels.connectedTitle')}
        </Title>
        {list.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-channels">
            {t('channels.none')}
          </Text>
        ) : (
          <Stack gap="sm">
            {list.map((channel) => (
              <ChannelRow
                key={channel.id}
                channel={channel}
                networks={networks}
                canManage={canManage}
                highlighted={landing.connectedIds.includes(channel.id)}
              />
            ))}
          </Stack>
        )}
      </Paper>
      {canManage && <ConnectAccount networks={networks} />}
    </Stack>
  );
}

export function HealthBadge({ channel }: { channel: Channel }) {
  const { t } = useTranslation();
  const { status, reason } = channel.health;
  const color = status === 'ok' ? 'teal' : status === 'degraded' ? 'yellow' : 'red';
  const badge = (
    <Badge color={color} variant="light" data-testid="channel-health" data-status={status}>
      {t(`channels.health.${status}`)}
    </Badge>
  );
  return reason ? (
    <Tooltip label={reason} multiline maw={360}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}

/** What the network's sign-in came back with: the new account, or why it was not connected. */
function LandingMessage({
  landing,
  channels,
  networks,
  onClose,
}: {
  landing: OAuthLanding;
  channels: Channel[];
  networks: ConnectableNetwork[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const labelOf = useNetworkLabel();
  const network = landing.error?.network ? labelOf(networks, landing.error.network) : null;
  const connected = channels.filter((c) => landing.connectedIds.includes(c.id));
  // A LinkedIn sign-in may connect some pages and fail on others: both are said.
  return (
    <>
      {landing.connectedIds.length > 0 && (
        <Alert color="teal" variant="light" withCloseButton onClose={onClose} data-testid="oauth-connected">
          <Text size="sm">
            {connected.length === 1
              ? t('channels.oauth.connected', { name: connected[0]!.displayName, handle: connected[0]!.handle })
              : connected.length > 1
                ? t('channels.oauth.connectedSeveral', { names: connected.map((c) => c.displayName).join(', ') })
                : t('channels.oauth.connectedUnknown')}
          </Text>
        </Alert>
      )}
      {landing.error && (
        <Alert
          color="red"
          variant="light"
          withCloseButton
          onClose={onClose}
          title={network ? t('channels.oauth.failedOn', { network }) : t('channels.oauth.failed')}
          data-testid="oauth-error"
        >
          <Text size="sm">{landing.error.message}</Text>
        </Alert>
      )}
    </>
  );
}

/** The network's name in the reader's language; the server's label for a network this UI does not know yet. */
const useNetworkLabel = () => {
  const { t } = useTranslation();
  return (networks: ConnectableNetwork[], network: string) =>
    t(`networks.${network}`, { defaultValue: networks.find((n) => n.network === network)?.label ?? network });
};

function ChannelRow({
  channel,
  networks,
  canManage,
  highlighted,
}: {
  channel: Channel;
  networks: ConnectableNetwork[];
  canManage: boolean;
  highlighted: boolean;
}) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const [reconnecting, setReconnecting] = useState(false);
  const labelOf = useNetworkLabel();
  // An expired token is as good as a refused one: the same reconnect actions are offered first.
  const reconnectNeeded = channel.health.status === 'needs_reconnect' || tokenExpiryState(channel.tokenExpiresAt, Date.now())?.kind === 'expired';
  const refresh = () => queryClient.invalidateQueries({ queryKey: channelsKey(org.id) });
  const check = useMutation({
    mutationFn: () => checkChannel(org.id, channel.id),
    onSuccess: async ({ channel: checked }) => {
      await refresh();
      if (checked.health.status === 'ok') notifySuccess(t('channels.checkedOk', { name: checked.displayName }));
    },
  });
  const reconnect = useMutation({
    mutationFn: (credentials: Record<string, string>) => reconnectChannel(org.id, channel.id, credentials),
    meta: { quiet: true },
    onSuccess: async () => {
      setReconnecting(false);
      notifySuccess(t('channels.reconnected', { name: channel.displayName }));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => removeChannel(org.id, channel.id),
    onSuccess: async () => {
      notifySuccess(t('channels.removed', { name: channel.displayName }));
      await refresh();
    },
  });
  return (
    <Paper
      withBorder
      radius="sm"
      p="sm"
      bg={highlighted ? 'teal.0' : undefined}
      style={highlighted ? { borderColor: 'var(--mantine-color-teal-5)' } : undefined}
      data-testid="channel-row"
      data-network={channel.network}
      data-handle={channel.handle}
      data-highlighted={highlighted || undefined}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <NetworkIcon network={channel.network} size={32} />
          <div>
            <Group gap={6}>
              <Text fw={600} size="sm">
                {channel.displayName}
              </Text>
              <HealthBadge channel={channel} />
              <TokenExpiryBadge tokenExpiresAt={channel.tokenExpiresAt} />
            </Group>
            <Text size="xs" c="dimmed">
              {labelOf(networks, channel.network)} · {channel.handle}
            </Text>
            {channel.health.reason && (
              <Text size="xs" c={channel.health.status === 'needs_reconnect' ? 'red' : 'yellow.8'} data-testid="channel-health-reason">
                {channel.health.reason}
              </Text>
            )}
            <ReadNotes notes={channel.notes} />
            {channel.network === 'line' && <LineWebhookAddress channelId={channel.id} />}
            {(channel.network === 'facebook' || channel.network === 'instagram') && <MetaWebhookAddress channelId={channel.id} network={channel.network} />}
            <Text size="xs" c="dimmed">
              {t('channels.lastChecked', { when: formatDate(channel.lastCheckedAt) })}
            </Text>
          </div>
        </Group>
        {canManage && (
          <Group gap={4} wrap="nowrap" align="flex-start">
            {reconnectNeeded && canSignIn(networks, channel.network) && <SignInToReconnect channel={channel} />}
            <Button size="xs" variant="default" loading={check.isPending} onClick={() => check.mutate()} data-testid="channel-check">
              {t('channels.check')}
            </Button>
            <Button size="xs" variant={reconnectNeeded ? 'filled' : 'default'} onClick={() => setReconnecting((v) => !v)} data-testid="channel-reconnect">
              {t('channels.reconnect')}
            </Button>
            <ConfirmButton
              question={t('channels.removeQuestion', { name: channel.displayName })}
              confirmLabel={t('channels.remove')}
              onConfirm={() => remove.mutate()}
              loading={remove.isPending}
              data-testid="channel-remove"
            >
              {t('channels.remove')}
            </ConfirmButton>
          </Group>
        )}
      </Group>
      {reconnecting && (
        <Paper mt="sm" p="sm" bg="gray.0" radius="sm">
          <Text size="sm" fw={600} mb="xs">
            {t('channels.reconnectTitle', { name: channel.displayName })}
          </Text>
          <CredentialsForm
            network={channel.network}
            initial={reconnectInitials(channel)}
            submitLabel={t('channels.reconnectSubmit')}
            pending={reconnect.isPending}
            error={reconnect.error}
            onSubmit={(credentials) => reconnect.mutate(credentials)}
            onCancel={() => setReconnecting(false)}
          />
        </Paper>
      )}
    </Paper>
  );
}

/** What the last read noticed though it worked (a feed's charset, entries it skipped), in the reader's language. */
function ReadNotes({ notes }: { notes: ReadNote[] }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  const describe = (note: ReadNote) => {
    const { details } = note;
    const where = details.declaredIn ? t(`channels.notes.declaredIn.${details.declaredIn}`) : '';
    return t(`channels.notes.${note.code}.${details.reason}`, { ...details, where, defaultValue: note.message });
  };
  return (
    <List size="xs" c="dimmed" spacing={0} data-testid="channel-notes">
      {notes.map((note) => (
        <List.Item key={`${note.code}:${note.details.reason}`} data-testid="channel-note" data-code={note.code} data-reason={note.details.reason}>
          {describe(note)}
        </List.Item>
      ))}
    </List>
  );
}

function ConnectAccount({ networks }: { networks: ConnectableNetwork[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const [network, setNetwork] = useState<Network | null>(networks[0]?.network ?? null);
  const labelOf = useNetworkLabel();
  const connect = useIntentMutation({
    mutationFn: (input: { network: Network; credentials: Record<string, string> }, intent) =>
      connectChannel(org.id, input.network, input.credentials, intent.key()),
    meta: { quiet: true },
    onSuccess: async ({ channel }) => {
      notifySuccess(t('channels.connected', { name: channel.displayName }));
      await queryClient.invalidateQueries({ queryKey: channelsKey(org.id) });
    },
  });
  if (networks.length === 0) return null;
  const picked = network ?? networks[0]!.network;
  return (
    <Paper withBorder radius="md" p="md" data-testid="connect-account">
      <Title order={4} mb={4}>
        {t('channels.connectTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('channels.connectIntro')}
      </Text>
      {/* Ten networks do not fit one segmented row at laptop widths: the choices wrap instead. */}
      <Chip.Group
        value={picked}
        onChange={(value) => {
          setNetwork(value as Network);
          connect.reset();
        }}
      >
        <Group gap={8} mb="md" role="radiogroup" aria-label={t('channels.connectTitle')}>
          {networks.map((n) => (
            <Chip key={n.network} value={n.network} variant="outline" radius="sm">
              <Group gap={6} wrap="nowrap" component="span" data-testid={`connect-network-${n.network}`}>
                <NetworkIcon network={n.network} size={16} />
                <span>{labelOf(networks, n.network)}</span>
              </Group>
            </Chip>
          ))}
        </Group>
      </Chip.Group>
      {canSignIn(networks, picked) && (
        <>
          <SignInToConnect key={picked} network={picked} />
          <Divider my="md" label={t('channels.oauth.orPaste')} labelPosition="center" />
        </>
      )}
      {/* One form per network, keyed so switching starts from that network's defaults. */}
      <CredentialsForm
        key={`${picked}:${connect.data?.channel.id ?? ''}`}
        network={picked}
        submitLabel={t('channels.connect')}
        pending={connect.isPending}
        error={connect.error}
        onSubmit={(credentials) => connect.mutate({ network: picked, credentials })}
      />
    </Paper>
  );
}
