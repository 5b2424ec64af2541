import { Alert, Badge, Group, Loader, Paper, Stack, Tabs, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { referenceFrom } from '../streams/stream-reference.js';
import { SendReport } from './SendReport.js';
import type { Post } from '../../api/publishing.js';
import { describeError } from '../../app/errors.js';
import { can } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useChannels } from '../channels/channel-queries.js';
import { canPublishTo } from './composer-rules.js';
import { BulkImport } from './BulkImport.js';
import { Composer } from './Composer.js';
import { PostCard } from './PostCard.js';
import { usePostLists, type PostLists } from './post-queries.js';
import { QueueEditor } from './QueueEditor.js';

const LISTS: (keyof PostLists)[] = ['scheduled', 'pending', 'problems', 'drafts', 'published'];

/** Publish: the composer on top, then the posts by where they are in their life. */
export function PublishPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const channels = useChannels(org.id);
  const lists = usePostLists(org.id);
  const [editing, setEditing] = useState<Post | null>(null);
  const [list, setList] = useState<string>('scheduled');
  // Each finished post starts the composer over from empty.
  const [round, setRound] = useState(0);
  const [sent, setSent] = useState<{ post: Post; at: number } | null>(null);
  // A quote or reply from a stream item arrives once in the location state; it is taken out at
  // once, so no later composer (after a send, a reload, Back) finds it again.
  const location = useLocation();
  const navigate = useNavigate();
  const [reference] = useState(() => referenceFrom(location.state));
  useEffect(() => {
    if (referenceFrom(location.state)) void navigate(location.pathname + location.search, { replace: true, state: null });
  }, [location, navigate]);
  const accounts = channels.data?.channels ?? [];
  // ?post=<id> (a notification's link): open the list that holds it and mark it.
  const [params] = useSearchParams();
  const focus = params.get('post');
  const focusList = focus && lists.data ? LISTS.find((key) => lists.data[key].some((p) => p.id === focus)) : undefined;
  useEffect(() => {
    if (focusList) setList(focusList);
  }, [focusList, focus]);
  const edit = (post: Post) => {
    setEditing(post);
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };
  return (
    <Stack gap="md" data-testid="page-publish">
      <div>
        <Title order={2}>{t('publish.title')}</Title>
        <Text c="dimmed" size="sm" maw={760}>
          {t('publish.intro')}
        </Text>
      </div>
      {channels.isPending ? (
        <Loader size="sm" />
      ) : channels.isError ? (
        <Alert color="red">{describeError(channels.error)}</Alert>
      ) : !can(org.role, 'posts.write') ? (
        // Viewers read the lists; the composer would only offer actions the server refuses them.
        <Alert color="gray" variant="light" data-testid="publish-read-only">
          {t('publish.readOnly')}
        </Alert>
      ) : (
        <>
          {sent && (
            <Paper withBorder radius="md" p="sm" data-testid="composer-sent">
              <SendReport orgId={org.id} post={sent.post} sentAt={sent.at} />
            </Paper>
          )}
          <Composer
            key={editing?.id ?? `new-${round}`}
            channels={accounts}
            editing={editing}
            reference={round === 0 && !editing ? reference : null}
            onDone={(post) => {
              setEditing(null);
              setRound((r) => r + 1);
              setSent(post ? { post, at: Date.now() } : null);
            }}
          />
        </>
      )}
      {lists.isError ? (
        <Alert color="red" title={t('publish.listsFailed')} data-testid="lists-error">
          {describeError(lists.error)}
        </Alert>
      ) : (
        <Tabs value={list} onChange={(value) => value && setList(value)}>
          <Tabs.List>
            {LISTS.map((key) => (
              <Tabs.Tab
                key={key}
                value={key}
                data-testid={`list-tab-${key}`}
                rightSection={
                  lists.data && lists.data[key].length > 0 ? (
                    <Badge
                      size="xs"
                      variant="light"
                      color={key === 'problems' ? 'red' : key === 'pending' ? 'yellow' : 'gray'}
                      circle={lists.data[key].length < 10}
                    >
                      {lists.data[key].length}
                    </Badge>
                  ) : null
                }
              >
                {t(`publish.lists.${key}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          {LISTS.map((key) => (
            <Tabs.Panel key={key} value={key} pt="sm" data-testid={`list-${key}`}>
              {lists.isPending ? (
                <Loader size="sm" />
              ) : lists.data[key].length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t(`publish.emptyList.${key}`)}
                </Text>
              ) : (
                <Stack gap="xs">
                  {lists.data[key].map((post) => (
                    <PostCard key={post.id} post={post} channels={accounts} onEdit={edit} highlighted={post.id === focus} />
                  ))}
                </Stack>
              )}
            </Tabs.Panel>
          ))}
        </Tabs>
      )}
      {channels.data && can(org.role, 'posts.publish') && <BulkImport accounts={accounts.filter(canPublishTo)} />}
      <Group>{channels.data && <QueueEditor accounts={accounts.filter(canPublishTo)} />}</Group>
    </Stack>
  );
}
