import { ActionIcon, Alert, Anchor, Badge, Box, Button, Group, Loader, Modal, Paper, Select, Stack, TagsInput, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.js';
import {
  actOnMessage,
  changeConversation,
  linkConversationContact,
  replyToConversation,
  type ConversationMessageView,
  type ConversationStatus,
  type ConversationView,
} from '../../api/inbox.js';
import type { Member } from '../../api/types.js';
import { describeError, notifyError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { contactPath } from '../../app/paths.js';
import { can } from '../../app/permissions.js';
import { useFormatDate } from '../../components/format.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { reactionsOn } from '@core/networks/index.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { ConversationTaskModal } from './ConversationTaskModal.js';
import { useAnnouncePresence, usePresence } from './inbox-live.js';
import { useConversation, useRefreshInbox } from './inbox-queries.js';
import { SlaBadge } from './SlaBadge.js';
import { refreshColumnItems } from '../streams/stream-queries.js';

const duration = (ms: number | null, t: (key: string, options?: Record<string, unknown>) => string): string => {
  if (ms === null) return '—';
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes < 60 ? t('inbox.minutes', { count: minutes }) : t('inbox.hours', { count: Math.round((minutes / 60) * 10) / 10 });
};

/** One conversation: who, status, assignee, tags, contact, response times, who else is here, the thread and the reply box. */
export function ConversationPane({
  orgId,
  conversationId,
  members,
  canWrite,
  replyRef,
  onBack,
}: {
  orgId: string;
  conversationId: string;
  members: Member[];
  canWrite: boolean;
  replyRef: RefObject<HTMLTextAreaElement | null>;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const detail = useConversation(orgId, conversationId);
  const refresh = useRefreshInbox(orgId);
  const client = useQueryClient();
  const [draft, setDraft] = useState('');
  const [collision, setCollision] = useState<{ answeredByUserId: string | null; answeredAt: string } | null>(null);
  const [makingTask, setMakingTask] = useState(false);
  // Tasks belong to the CRM: a member who cannot write contacts cannot make one.
  const canMakeTask = can(useCurrentOrg().org.role, 'contacts.write');
  useAnnouncePresence(orgId, conversationId, draft.trim() ? 'replying' : 'viewing');
  const others = usePresence(conversationId);
  const change = useMutation({
    mutationFn: (input: { status?: ConversationStatus; assigneeUserId?: string | null; tags?: string[] }) => changeConversation(orgId, conversationId, input),
    onSuccess: refresh,
    onError: notifyError,
  });
  const contact = useMutation({ mutationFn: () => linkConversationContact(orgId, conversationId), onSuccess: refresh, onError: notifyError });
  const act = useMutation({
    mutationFn: (input: { messageId: string; action: 'like' | 'repost' }) => actOnMessage(orgId, conversationId, input.messageId, input.action),
    // The like is the stream item's too: columns showing it read it again.
    onSuccess: () => Promise.all([refresh(), refreshColumnItems(client, orgId)]),
    onError: notifyError,
  });
  const reply = useIntentMutation({
    mutationFn: (input: { text: string; confirm: boolean }, intent) =>
      replyToConversation(orgId, conversationId, input.confirm ? { text: input.text, confirm: true } : { text: input.text }, intent.key()),
    onSuccess: () => {
      setDraft('');
      setCollision(null);
      void refresh();
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'conversation_already_answered')
        setCollision(error.details as { answeredByUserId: string | null; answeredAt: string });
      else notifyError(error);
    },
  });
  if (detail.isPending) return <Loader size="sm" />;
  if (detail.isError)
    return (
      <Alert color="red" variant="light">
        {describeError(detail.error)}
      </Alert>
    );
  const { conversation, messages } = detail.data;
  const nameOf = (userId: string | null) => members.find((m) => m.userId === userId)?.name ?? t('inbox.someone');
  // A chat network's handle is an opaque id (LINE's U…, Messenger's page-scoped id): the person's name reads better.
  const inboundAuthor = (handle: string) =>
    handle === conversation.author.handle && conversation.author.displayName ? conversation.author.displayName : `@${handle}`;
  const send = (confirm: boolean) => draft.trim() && reply.mutate({ text: draft.trim(), confirm });
  return (
    <Stack gap="sm" data-testid="conversation-pane" data-conversation-id={conversation.id} data-status={conversation.status}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Button variant="subtle" size="compact-xs" hiddenFrom="md" onClick={onBack} data-testid="conversation-back">
            {t('inbox.back')}
          </Button>
          <NetworkIcon network={conversation.network} size={18} />
          <Box style={{ minWidth: 0 }}>
            <Title order={4} lineClamp={1}>
              {conversation.author.displayName || conversation.author.handle}
            </Title>
            <Text size="xs" c="dimmed">
              @{conversation.author.handle}
            </Text>
          </Box>
        </Group>
        {canWrite && (
          <Group gap={6}>
            {conversation.status !== 'closed' ? (
              <Button
                size="xs"
                variant="light"
                color="gray"
                onClick={() => change.mutate({ status: 'closed' })}
                loading={change.isPending}
                data-testid="conversation-close"
                title={t('inbox.shortcuts.close')}
              >
                {t('inbox.close')}
              </Button>
            ) : (
              <Button size="xs" variant="light" onClick={() => change.mutate({ status: 'open' })} data-testid="conversation-reopen">
                {t('inbox.reopen')}
              </Button>
            )}
            {conversation.status === 'open' && (
              <Button size="xs" variant="default" onClick={() => change.mutate({ status: 'pending' })} data-testid="conversation-pending">
                {t('inbox.markPending')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Group gap="sm" wrap="wrap" align="flex-end">
        <Select
          size="xs"
          w={200}
          label={t('inbox.assignee')}
          placeholder={t('inbox.unassigned')}
          data={members.map((m) => ({ value: m.userId, label: m.name }))}
          value={conversation.assigneeUserId}
          onChange={(value) => change.mutate({ assigneeUserId: value })}
          clearable
          disabled={!canWrite}
          data-testid="conversation-assignee-select"
        />
        <TagsInput
          size="xs"
          w={240}
          label={t('inbox.tags')}
          value={conversation.tags}
          onChange={(tags) => change.mutate({ tags })}
          disabled={!canWrite}
          maxTags={20}
          data-testid="conversation-tags"
        />
        {conversation.contactId ? (
          <Anchor component={Link} to={contactPath(orgId, conversation.contactId)} size="xs" data-testid="conversation-contact">
            {t('inbox.openContact')}
          </Anchor>
        ) : (
          canWrite && (
            <Button size="compact-xs" variant="default" onClick={() => contact.mutate()} loading={contact.isPending} data-testid="conversation-make-contact">
              {t('inbox.makeContact')}
            </Button>
          )
        )}
        {canMakeTask && (
          <Button size="compact-xs" variant="default" onClick={() => setMakingTask(true)} data-testid="conversation-create-task">
            {t('inbox.task.button')}
          </Button>
        )}
      </Group>
      {makingTask && <ConversationTaskModal conversation={conversation} messages={messages} members={members} onClose={() => setMakingTask(false)} />}
      <Group gap="md">
        <Text size="xs" c="dimmed" data-testid="conversation-first-response">
          {t('inbox.firstResponse')}: {duration(conversation.firstResponseMs, t)}
        </Text>
        <Text size="xs" c="dimmed">
          {t('inbox.resolution')}: {duration(conversation.resolutionMs, t)}
        </Text>
        <SlaBadge sla={conversation.sla} />
        {conversation.sla.dueAt && conversation.sla.state !== 'met' && conversation.sla.state !== 'none' && (
          <Text size="xs" c="dimmed">
            {t('inbox.dueAt', { time: formatDate(conversation.sla.dueAt) })}
          </Text>
        )}
      </Group>
      {others.length > 0 && (
        <Alert color="yellow" variant="light" py={6} data-testid="conversation-presence">
          {others.map((person) => t(person.state === 'replying' ? 'inbox.presence.replying' : 'inbox.presence.viewing', { name: person.name })).join(' · ')}
        </Alert>
      )}
      <Stack gap={6} data-testid="conversation-messages">
        {messages.map((message) => (
          <MessageBubble
            key={message.id}
            message={message}
            author={message.direction === 'outbound' ? nameOf(message.authorUserId) : inboundAuthor(message.authorHandle)}
            reactions={reactionsOn(conversation.network, message.direct)}
            canAct={canWrite}
            onAct={(action) => act.mutate({ messageId: message.id, action })}
          />
        ))}
      </Stack>
      {canWrite && (
        <Stack gap={6}>
          <Textarea
            ref={replyRef}
            autosize
            minRows={2}
            maxRows={8}
            placeholder={t('inbox.replyPlaceholder', { name: inboundAuthor(conversation.author.handle) })}
            aria-label={t('inbox.reply')}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) send(false);
              if (e.key === 'Escape') e.currentTarget.blur();
            }}
            data-testid="reply-text"
          />
          <Group justify="flex-end">
            <Button size="xs" onClick={() => send(false)} loading={reply.isPending} disabled={!draft.trim()} data-testid="reply-send">
              {t('inbox.send')}
            </Button>
          </Group>
        </Stack>
      )}
      <Modal opened={collision !== null} onClose={() => setCollision(null)} title={t('inbox.collision.title')} data-testid="reply-collision">
        <Stack gap="sm">
          <Text size="sm">
            {t('inbox.collision.body', { name: nameOf(collision?.answeredByUserId ?? null), time: formatDate(collision?.answeredAt ?? null) })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" size="xs" onClick={() => setCollision(null)}>
              {t('inbox.collision.cancel')}
            </Button>
            <Button size="xs" color="orange" onClick={() => send(true)} loading={reply.isPending} data-testid="reply-send-anyway">
              {t('inbox.collision.sendAnyway')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** What the network lets Chorus do to a message (core's reactionsOn): LINE and Messenger chats take neither a like nor a repost. */
interface Reactions {
  like: boolean;
  repost: boolean;
}

/** The inbox's reactions to a message, in the order shown; a network that takes one gets its button. */
const REACTION_BUTTONS = [
  { action: 'like', color: 'pink', glyph: '♥', label: 'inbox.like', doneLabel: 'inbox.liked' },
  { action: 'repost', color: 'teal', glyph: '⟳', label: 'inbox.repost', doneLabel: 'inbox.reposted' },
] as const;

function MessageBubble({
  message,
  author,
  reactions,
  canAct,
  onAct,
}: {
  message: ConversationMessageView;
  author: string;
  reactions: Reactions;
  canAct: boolean;
  onAct: (action: 'like' | 'repost') => void;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const outbound = message.direction === 'outbound';
  return (
    <Paper
      withBorder
      radius="md"
      p="xs"
      ml={outbound ? 'xl' : 0}
      mr={outbound ? 0 : 'xl'}
      bg={outbound ? 'blue.0' : undefined}
      data-testid="conversation-message"
      data-direction={message.direction}
      data-state={message.state}
    >
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" fw={600} truncate>
          {author}
        </Text>
        <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
          {formatDate(message.createdAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {message.text}
      </Text>
      <Group gap={6} mt={4}>
        {message.state === 'failed' && (
          <Badge size="xs" color="red" title={message.error ?? undefined}>
            {t('inbox.failed')}
          </Badge>
        )}
        {message.state === 'sending' && (
          <Badge size="xs" color="gray">
            {t('inbox.sending')}
          </Badge>
        )}
        {!outbound && canAct && message.remoteId && (
          <>
            {REACTION_BUTTONS.filter(({ action }) => reactions[action]).map(({ action, color, glyph, label, doneLabel }) => {
              const done = action === 'like' ? message.liked : message.reposted;
              return (
                <ActionIcon
                  key={action}
                  size="sm"
                  variant={done ? 'filled' : 'subtle'}
                  color={done ? color : 'gray'}
                  aria-label={t(done ? doneLabel : label)}
                  aria-pressed={done}
                  onClick={() => !done && onAct(action)}
                  data-testid={`message-${action}`}
                >
                  {glyph}
                </ActionIcon>
              );
            })}
          </>
        )}
        {message.url && (
          <Anchor href={message.url} target="_blank" rel="noopener noreferrer" size="xs">
            {t('inbox.openOnNetwork')}
          </Anchor>
        )}
      </Group>
    </Paper>
  );
}
