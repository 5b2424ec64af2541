import { Alert, Anchor, Button, Grid, Group, Kbd, Loader, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { getCampaign } from '../../api/campaigns.js';
import { changeConversation, type ConversationFilters, type ConversationListFilters } from '../../api/inbox.js';
import { listChannels } from '../../api/channels.js';
import { describeError, notifyError } from '../../app/errors.js';
import { campaignPath } from '../../app/paths.js';
import { can } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { campaignKey } from '../campaigns/campaign-queries.js';
import { useMembers } from '../teams/team-queries.js';
import { ConversationList } from './ConversationList.js';
import { ConversationPane } from './ConversationPane.js';
import { useConversations, useRefreshInbox } from './inbox-queries.js';
import { InboxSettingsButton } from './InboxSettingsButton.js';
import { SavedViews } from './SavedViews.js';

type StatusChoice = 'open' | 'pending' | 'closed' | 'all';

/** Keys that drive the inbox when no field has focus. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * The shared inbox: views on the left (mine, unassigned, by network, channel or tag, saved ones),
 * the conversations of the view, and the open conversation with its thread and reply box.
 * Keyboard: j/k next/previous, a assign to me, e close, r reply.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const canWrite = can(org.role, 'inbox.write');
  const [params, setParams] = useSearchParams();
  const selectedId = params.get('conversation');
  const campaignId = params.get('campaign');
  // From a campaign's count: every status, as the campaign counts them.
  const [status, setStatus] = useState<StatusChoice>(campaignId ? 'all' : 'open');
  const [scope, setScope] = useState<Omit<ConversationFilters, 'status'>>({});
  const filters: ConversationListFilters = useMemo(
    () => ({ ...scope, ...(status === 'all' ? {} : { status }), ...(campaignId ? { campaignId } : {}) }),
    [scope, status, campaignId],
  );
  const conversations = useConversations(org.id, filters);
  const members = useMembers(org.id).data ?? [];
  const channels = useQuery({ queryKey: ['org', org.id, 'channels'], queryFn: () => listChannels(org.id), meta: { quiet: true } });
  const refresh = useRefreshInbox(org.id);
  const replyRef = useRef<HTMLTextAreaElement | null>(null);
  const loaded = conversations.data?.pages.flatMap((page) => page.conversations) ?? [];

  const select = (id: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('conversation', id);
        else next.delete('conversation');
        return next;
      },
      { replace: true },
    );

  // Keyboard shortcuts, read fresh at each key press.
  const keys = useRef({ loaded, selectedId });
  keys.current = { loaded, selectedId };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const { loaded: list, selectedId: current } = keys.current;
      const index = list.findIndex((c) => c.id === current);
      if (event.key === 'j' || event.key === 'k') {
        const next = list[event.key === 'j' ? Math.min(list.length - 1, index + 1) : Math.max(0, index - 1)];
        if (next) select(next.id);
      } else if (current && canWrite && event.key === 'a') {
        void changeConversation(org.id, current, { assigneeUserId: session.user.id }).then(refresh, notifyError);
      } else if (current && canWrite && event.key === 'e') {
        void changeConversation(org.id, current, { status: 'closed' }).then(refresh, notifyError);
      } else if (current && canWrite && event.key === 'r') {
        event.preventDefault();
        replyRef.current?.focus();
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
    // The list and selection are read through a ref; select and refresh act on this org only.
  }, [org.id, canWrite, session.user.id]);

  const networks = [...new Set((channels.data?.channels ?? []).map((c) => c.network))].filter((n) => n !== 'feed');
  return (
    <Stack gap="md" data-testid="page-inbox">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{t('inbox.title')}</Title>
          <Text c="dimmed" size="sm" maw={720}>
            {t('inbox.introLive')}
          </Text>
        </div>
        <Group gap="xs">
          <Text size="xs" c="dimmed" visibleFrom="md" data-testid="inbox-shortcuts">
            <Kbd size="xs">j</Kbd>/<Kbd size="xs">k</Kbd> {t('inbox.shortcuts.move')} · <Kbd size="xs">a</Kbd> {t('inbox.shortcuts.assign')} ·{' '}
            <Kbd size="xs">e</Kbd> {t('inbox.shortcuts.close')} · <Kbd size="xs">r</Kbd> {t('inbox.shortcuts.reply')}
          </Text>
          {can(org.role, 'inbox.manage') && <InboxSettingsButton orgId={org.id} />}
        </Group>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }} display={selectedId ? { base: 'none', md: 'block' } : undefined}>
          <Stack gap="sm">
            {campaignId && (
              <CampaignFilter
                orgId={org.id}
                campaignId={campaignId}
                onClear={() =>
                  setParams(
                    (current) => {
                      const next = new URLSearchParams(current);
                      next.delete('campaign');
                      return next;
                    },
                    { replace: true },
                  )
                }
              />
            )}
            <SavedViews orgId={org.id} current={scope} onPick={setScope} />
            <Group gap="xs" wrap="wrap">
              <SegmentedControl
                size="xs"
                value={status}
                onChange={(value) => setStatus(value as StatusChoice)}
                data={(['open', 'pending', 'closed', 'all'] as const).map((value) => ({ value, label: t(`inbox.statusFilter.${value}`) }))}
                data-testid="inbox-status-filter"
              />
              <Select
                size="xs"
                w={170}
                placeholder={t('inbox.allNetworks')}
                aria-label={t('inbox.network')}
                data={networks.map((n) => ({ value: n, label: t(`networks.${n}`, { defaultValue: n }) }))}
                value={scope.network ?? null}
                onChange={(value) =>
                  setScope(({ network: _network, ...rest }) => (value ? { ...rest, network: value as ConversationFilters['network'] } : rest))
                }
                clearable
                data-testid="inbox-network-filter"
              />
              <Select
                size="xs"
                w={160}
                placeholder={t('inbox.allChannels')}
                aria-label={t('inbox.channel')}
                data={(channels.data?.channels ?? []).filter((c) => c.network !== 'feed').map((c) => ({ value: c.id, label: c.displayName }))}
                value={scope.channelAccountId ?? null}
                onChange={(value) => setScope(({ channelAccountId: _channel, ...rest }) => (value ? { ...rest, channelAccountId: value } : rest))}
                clearable
                data-testid="inbox-channel-filter"
              />
            </Group>
            {conversations.isPending ? (
              <Loader size="sm" />
            ) : conversations.isError && !conversations.data ? (
              <Alert color="red" variant="light" data-testid="inbox-error">
                {describeError(conversations.error)}
              </Alert>
            ) : loaded.length === 0 ? (
              <Paper withBorder p="md" radius="md">
                <Text size="sm" c="dimmed" data-testid="inbox-empty">
                  {t('inbox.empty')}
                </Text>
              </Paper>
            ) : (
              <ConversationList conversations={loaded} selectedId={selectedId} members={members} onSelect={select} />
            )}
            {conversations.hasNextPage && (
              <Button variant="default" size="xs" onClick={() => void conversations.fetchNextPage()} loading={conversations.isFetchingNextPage}>
                {t('inbox.more')}
              </Button>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }} display={selectedId ? undefined : { base: 'none', md: 'block' }}>
          <Paper withBorder p="md" radius="md" mih={320}>
            {selectedId ? (
              <ConversationPane
                key={selectedId}
                orgId={org.id}
                conversationId={selectedId}
                members={members}
                canWrite={canWrite}
                replyRef={replyRef}
                onBack={() => select(null)}
              />
            ) : (
              <Text size="sm" c="dimmed" data-testid="inbox-pick">
                {t('inbox.pick')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** Says the list is one campaign's conversations (those its posts' replies opened), with the way back to all. */
function CampaignFilter({ orgId, campaignId, onClear }: { orgId: string; campaignId: string; onClear: () => void }) {
  const { t } = useTranslation();
  // The campaign page's own query: coming from there, the name is already known.
  const campaign = useQuery({ queryKey: campaignKey(orgId, campaignId), queryFn: () => getCampaign(orgId, campaignId), meta: { quiet: true } });
  return (
    <Alert variant="light" p="xs" data-testid="inbox-campaign-filter">
      <Group justify="space-between" gap="xs">
        <Text size="sm">
          {t('inbox.campaignFilter')}{' '}
          <Anchor component={Link} to={campaignPath(orgId, campaignId)} data-testid="inbox-campaign-link">
            {campaign.data?.campaign.name ?? campaignId}
          </Anchor>
        </Text>
        <Button size="xs" variant="default" onClick={onClear} data-testid="inbox-campaign-clear">
          {t('inbox.campaignClear')}
        </Button>
      </Group>
    </Alert>
  );
}
