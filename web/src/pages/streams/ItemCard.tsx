import { Anchor, Avatar, Badge, Box, Button, Group, Image, Menu, Paper, Stack, Text, Typography } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { mediaBesideHtml } from '../../api/image-proxy.js';
import { actOnItem, setItemState, type ItemAction, type ItemState, type StreamItem } from '../../api/streams.js';
import type { Member } from '../../api/types.js';
import { describeError } from '../../app/errors.js';
import { contactPath, orgPath } from '../../app/paths.js';
import { can } from '../../app/permissions.js';
import { useFormatDate } from '../../components/format.js';
import { MenuOnDemand } from '../../components/MenuOnDemand.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContactOfAuthor } from '../crm/contact-queries.js';
import { AddToContactsButton } from './AddToContactsButton.js';
import { ItemTaskModal } from './ItemTaskModal.js';
import { ReplyBox } from './ReplyBox.js';
import { canInteract } from './stream-kinds.js';
import { reactionsOn } from '@core/networks/index.js';
import { updateItem, useStreamRights } from './stream-queries.js';
import type { StreamReference } from './stream-reference.js';

interface ItemCardProps {
  item: StreamItem;
  /** The column the item is shown in (null in search results). */
  columnId: string | null;
  /** The account the column reads through: replies and quotes go out from it. */
  accountId: string | null;
  members: Member[];
  /** Arrived live and not looked at yet. */
  fresh: boolean;
  /** False where items have no read/done state of their own (search results, saved searches). */
  tracksReading: boolean;
  /** False where the author already is the contact being shown (a contact's timeline). */
  offersAddContact?: boolean;
}

/** Like and repost: pressed shows what the column's account already did; pressing again takes it back. */
const REACTION_BUTTONS = [
  { action: 'like', viewer: 'liked', color: 'pink', label: 'streams.item.like', undoTitle: 'streams.item.undoLike', testId: 'item-like' },
  { action: 'repost', viewer: 'reposted', color: 'green', label: 'streams.item.repost', undoTitle: 'streams.item.undoRepost', testId: 'item-repost' },
] as const;

/** What the last action came to, worded when shown: a language switch rewords it. */
type Outcome = { tone: 'ok' | 'error'; say: (t: TFunction) => string } | null;

/**
 * One post or feed entry with everything a user can do to it; each action says how it went.
 * Memoized: a column that grows, gains a live item or marks itself read leaves the cards whose
 * item (a new object whenever it changes, see updateItem) and props are the same as they were.
 */
export const ItemCard = memo(function ItemCard({ item, columnId, accountId, members, fresh, tracksReading, offersAddContact = true }: ItemCardProps) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [replying, setReplying] = useState(false);
  const [makingTask, setMakingTask] = useState(false);
  const rights = useStreamRights();
  // Contacts and tasks belong to the CRM: both need the right to write contacts.
  const canWriteContacts = can(org.role, 'contacts.write');
  const authorContactId = useContactOfAuthor(item);
  const replyAccount = item.channelAccountId ?? accountId;
  const interactive = canInteract(item.network) && replyAccount !== null;
  // A Mastodon direct status takes a favourite but no boost, and is not quoted in the open.
  const reactions = reactionsOn(item.network, item.isDirect);

  const act = useMutation({
    meta: { quiet: true },
    mutationFn: ({ action, undo }: { action: ItemAction; undo: boolean }) => actOnItem(org.id, item.id, action, columnId, undo),
    onSuccess: (viewer, { action, undo }) => {
      updateItem(client, org.id, item.id, (current) => ({ ...current, viewer }));
      setOutcome({
        tone: 'ok',
        say: (t) => t(`streams.item.done.${undo ? `un${action}` : action}`, { network: t(`networks.${item.network}`, { defaultValue: item.network }) }),
      });
    },
    onError: (error) => setOutcome({ tone: 'error', say: () => describeError(error) }),
  });

  const change = useMutation({
    meta: { quiet: true },
    mutationFn: (state: ItemState) => setItemState(org.id, item.id, state),
    onMutate: (state) => {
      const before = item;
      updateItem(client, org.id, item.id, (current) => ({ ...current, ...state }));
      return { before };
    },
    onSuccess: (_result, state) => setOutcome({ tone: 'ok', say: (t) => stateMessage(t, state) }),
    onError: (error, _state, context) => {
      if (context) updateItem(client, org.id, item.id, () => context.before);
      setOutcome({ tone: 'error', say: () => describeError(error) });
    },
  });

  const stateMessage = (t: TFunction, state: ItemState): string => {
    if (state.assignedToUserId !== undefined) {
      const member = members.find((m) => m.userId === state.assignedToUserId);
      return member ? t('streams.item.done.assigned', { name: member.name }) : t('streams.item.done.unassigned');
    }
    if (state.done !== undefined) return t(state.done ? 'streams.item.done.markedDone' : 'streams.item.done.reopened');
    return t(state.read ? 'streams.item.done.markedRead' : 'streams.item.done.markedUnread');
  };

  // A quote is a post of its own: written in the Publish composer.
  const quote = () => {
    if (!replyAccount) return;
    const reference: StreamReference = {
      kind: 'quote',
      channelAccountId: replyAccount,
      remoteId: item.remoteId,
      // Stored items carry no Bluesky CID; the server looks it up when it publishes the reply or quote.
      cid: null,
      network: item.network,
      author: item.author.handle,
      excerpt: (item.title || item.text).slice(0, 280),
      url: item.url,
    };
    void navigate(orgPath(org.id, 'publish'), { state: { streamReference: reference } });
  };

  // Opening an item (its post, a reply) is reading it.
  const markReadOnOpen = () => {
    if (tracksReading && rights.write && !item.read) change.mutate({ read: true });
  };
  // Shortcuts while the item has keyboard focus: m toggles read, d toggles done.
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || event.altKey || event.ctrlKey || event.metaKey || !tracksReading || !rights.write) return;
    if (event.key === 'm') change.mutate({ read: !item.read });
    else if (event.key === 'd') change.mutate({ done: !item.done });
    else return;
    event.preventDefault();
  };

  const assignee = members.find((m) => m.userId === item.assignedToUserId);
  // Pictures the HTML already shows in place are not repeated under it.
  const media = mediaBesideHtml(item);
  const pendingAction = act.isPending ? act.variables.action : null;
  // Pressed = this account already did it; pressing again takes it back.
  const toggle = (action: ItemAction, done: boolean) => act.mutate({ action, undo: done });

  return (
    <Paper
      withBorder
      radius="sm"
      p="xs"
      data-testid="stream-item"
      data-item-id={item.id}
      data-remote-id={item.remoteId}
      data-read={String(item.read)}
      data-done={String(item.done)}
      data-fresh={String(fresh)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-keyshortcuts={tracksReading && rights.write ? 'm d' : undefined}
      role="article"
      aria-label={item.author.displayName || item.author.handle}
      style={{
        opacity: item.done ? 0.6 : 1,
        borderLeft: fresh || (tracksReading && !item.read) ? '3px solid var(--mantine-color-blue-filled)' : undefined,
        background: fresh ? 'var(--mantine-color-blue-0)' : undefined,
      }}
    >
      <Group gap={8} wrap="nowrap" align="flex-start" mb={4}>
        <Avatar src={item.author.avatarUrl} size={32} radius="xl" alt="" imageProps={{ loading: 'lazy', width: 32, height: 32 }}>
          {[...(item.author.displayName || item.author.handle || '?')][0]}
        </Avatar>
        <Box style={{ minWidth: 0, flex: 1 }}>
          <Group gap={4} wrap="nowrap">
            <Text size="sm" fw={600} truncate data-testid="item-author">
              {item.author.displayName || item.author.handle}
            </Text>
            {fresh && (
              <Badge size="xs" variant="filled" style={{ flex: 'none' }} data-testid="item-new-marker">
                {t('streams.item.new')}
              </Badge>
            )}
            {!fresh && tracksReading && !item.read && (
              <Badge size="xs" variant="light" style={{ flex: 'none' }} data-testid="item-unread-marker">
                {t('streams.item.unread')}
              </Badge>
            )}
          </Group>
          <Group gap={4} wrap="nowrap">
            <NetworkIcon network={item.network} size={14} />
            {item.author.profileUrl ? (
              <Anchor href={item.author.profileUrl} target="_blank" rel="noopener noreferrer" size="xs" c="dimmed" truncate>
                {item.author.handle}
              </Anchor>
            ) : (
              <Text size="xs" c="dimmed" truncate>
                {item.author.handle}
              </Text>
            )}
            {item.createdAtApproximate ? (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={t('streams.item.approximateTime')} data-testid="item-time-approximate">
                · {t('streams.item.approximately', { when: formatDate(item.createdAt) })}
              </Text>
            ) : (
              <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }} title={item.createdAt}>
                · {formatDate(item.createdAt)}
              </Text>
            )}
          </Group>
        </Box>
      </Group>

      {item.title && (
        <Text size="sm" fw={600} mb={2} data-testid="item-title">
          {item.url ? (
            <Anchor href={item.url} target="_blank" rel="noopener noreferrer" inherit>
              {item.title}
            </Anchor>
          ) : (
            item.title
          )}
        </Text>
      )}
      <ItemBody item={item} />

      {media.length > 0 && (
        <Stack gap={4} mt={6}>
          {media.slice(0, 4).map((m) => (
            <MediaFigure key={m.url} url={m.url} alt={m.alt} />
          ))}
        </Stack>
      )}

      {item.metrics && (
        <Group gap="sm" mt={6} data-testid="item-metrics">
          <Metric label={t('streams.item.metrics.replies')} value={item.metrics.replies} />
          <Metric label={t('streams.item.metrics.reposts')} value={item.metrics.reposts} />
          <Metric label={t('streams.item.metrics.likes')} value={item.metrics.likes} />
          <Metric label={t('streams.item.metrics.quotes')} value={item.metrics.quotes} />
        </Group>
      )}

      {(assignee || item.done) && (
        <Group gap={4} mt={6}>
          {assignee && (
            <Badge size="xs" variant="light" color="grape" data-testid="item-assignee">
              {t('streams.item.assignedTo', { name: assignee.name })}
            </Badge>
          )}
          {item.done && (
            <Badge size="xs" variant="light" color="teal">
              {t('streams.item.doneBadge')}
            </Badge>
          )}
        </Group>
      )}

      <Group gap={2} mt={6}>
        {interactive && (
          <>
            {rights.compose && (
              <Button
                size="compact-xs"
                variant={replying ? 'light' : 'subtle'}
                onClick={() => {
                  if (!replying) markReadOnOpen();
                  setReplying((open) => !open);
                }}
                aria-expanded={replying}
                data-testid="item-reply"
              >
                {t('streams.item.reply')}
              </Button>
            )}
            {rights.write &&
              REACTION_BUTTONS.filter(({ action }) => reactions[action]).map(({ action, viewer, color, label, undoTitle, testId }) => {
                const pressed = item.viewer[viewer];
                return (
                  <Button
                    key={action}
                    size="compact-xs"
                    variant={pressed ? 'light' : 'subtle'}
                    color={pressed ? color : undefined}
                    aria-pressed={pressed}
                    title={pressed ? t(undoTitle) : undefined}
                    onClick={() => toggle(action, pressed)}
                    loading={pendingAction === action}
                    data-testid={testId}
                  >
                    {t(label)}
                  </Button>
                );
              })}
            {rights.compose && !item.isDirect && (
              <Button size="compact-xs" variant="subtle" onClick={quote} data-testid="item-quote">
                {t('streams.item.quote')}
              </Button>
            )}
          </>
        )}
        {item.url && (
          <Button
            component="a"
            href={item.url}
            target="_blank"
            rel="noopener noreferrer"
            size="compact-xs"
            variant="subtle"
            onClick={markReadOnOpen}
            data-testid="item-open"
          >
            {t('streams.item.open')}
          </Button>
        )}
        {rights.write && (
          <MenuOnDemand
            position="bottom-start"
            shadow="md"
            withinPortal
            target={
              <Button size="compact-xs" variant="subtle" color="gray" data-testid="item-more" aria-label={t('streams.item.more')}>
                ⋯
              </Button>
            }
          >
            {tracksReading && (
              <>
                <Menu.Item onClick={() => change.mutate({ read: !item.read })} data-testid="item-toggle-read">
                  {item.read ? t('streams.item.markUnread') : t('streams.item.markRead')}
                </Menu.Item>
                <Menu.Item onClick={() => change.mutate({ done: !item.done })} data-testid="item-toggle-done">
                  {item.done ? t('streams.item.reopen') : t('streams.item.markDone')}
                </Menu.Item>
                <Menu.Divider />
              </>
            )}
            <Menu.Label>{t('streams.item.assign')}</Menu.Label>
            {members.map((member) => (
              <Menu.Item
                key={member.userId}
                onClick={() => change.mutate({ assignedToUserId: member.userId })}
                data-testid="item-assign-member"
                disabled={member.userId === item.assignedToUserId}
              >
                {member.name}
              </Menu.Item>
            ))}
            {item.assignedToUserId && (
              <Menu.Item onClick={() => change.mutate({ assignedToUserId: null })} data-testid="item-unassign">
                {t('streams.item.unassign')}
              </Menu.Item>
            )}
            {canWriteContacts && (
              <>
                <Menu.Divider />
                <Menu.Item onClick={() => setMakingTask(true)} data-testid="item-create-task">
                  {t('tasks.create')}
                </Menu.Item>
              </>
            )}
          </MenuOnDemand>
        )}
        {offersAddContact &&
          (authorContactId ? (
            <Button component={Link} to={contactPath(org.id, authorContactId)} size="compact-xs" variant="light" color="teal" data-testid="item-contact">
              {t('streams.item.contact')}
            </Button>
          ) : (
            canWriteContacts && <AddToContactsButton itemId={item.id} />
          ))}
      </Group>
      {makingTask && <ItemTaskModal item={item} contactId={authorContactId} members={members} onClose={() => setMakingTask(false)} />}
      {replying && replyAccount && <ReplyBox item={item} channelAccountId={replyAccount} onClose={() => setReplying(false)} />}
      {outcome && (
        <Text size="xs" c={outcome.tone === 'ok' ? 'teal' : 'red'} mt={4} role="status" data-testid="item-outcome" data-tone={outcome.tone}>
          {outcome.say(t)}
        </Text>
      )}
    </Paper>
  );
});

/**
 * The server-sanitized HTML when there is some, else the plain text. Links in it open in a new
 * tab with no opener and no referrer, whatever the HTML said.
 */
function ItemBody({ item }: { item: StreamItem }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const body = ref.current;
    if (!body) return;
    for (const link of body.querySelectorAll('a')) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    }
    // An inline picture the proxy could not fetch (gone, not a picture, unsigned) leaves its alt
    // text rather than a broken-image icon. Image errors do not bubble: listen while they travel down.
    const broken = (img: HTMLImageElement) => {
      const alt = img.getAttribute('alt')?.trim();
      const note = document.createElement('span');
      note.textContent = alt ? `[${alt}]` : '';
      note.style.color = 'var(--mantine-color-dimmed)';
      note.dataset.brokenImage = 'true';
      img.replaceWith(note);
    };
    const onError = (event: Event) => {
      if (event.target instanceof HTMLImageElement) broken(event.target);
    };
    body.addEventListener('error', onError, true);
    for (const img of body.querySelectorAll('img')) if (!img.getAttribute('src') || (img.complete && img.naturalWidth === 0)) broken(img);
    return () => body.removeEventListener('error', onError, true);
  }, [item.html]);
  if (item.html) {
    return <Typography ref={ref} fz="sm" style={{ overflowWrap: 'anywhere' }} data-testid="item-html" dangerouslySetInnerHTML={{ __html: item.html }} />;
  }
  if (!item.text) return null;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="item-text">
      {item.text}
    </Text>
  );
}

/** One picture under the text; one the proxy could not fetch (gone, not a picture) says so instead of a broken icon. */
function MediaFigure({ url, alt }: { url: string; alt: string }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  return (
    <figure style={{ margin: 0 }} data-testid="item-media" data-failed={String(failed)}>
      {failed ? (
        <Text size="xs" c="dimmed" fs="italic">
          {t('streams.item.imageUnavailable')}
        </Text>
      ) : (
        <Image src={url} alt={alt} radius="sm" mah={220} fit="contain" loading="lazy" referrerPolicy="no-referrer" onError={() => setFailed(true)} />
      )}
      {alt && (
        <Text component="figcaption" size="xs" c="dimmed" lineClamp={2}>
          {t('streams.item.alt', { alt })}
        </Text>
      )}
    </figure>
  );
}

function Metric({ label, value }: { label: string; value: number }) {
  return (
    <Text size="xs" c="dimmed">
      {label} {value}
    </Text>
  );
}
