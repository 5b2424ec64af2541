import { Alert, Button, Grid, Group, Loader, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../../app/errors.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useMembers } from '../teams/team-queries.js';
import { GroupsSidebar } from './GroupsSidebar.js';
import { TeamComposer } from './TeamComposer.js';
import { TeamPostCard } from './TeamPostCard.js';
import { useRefreshTeamFeed, useTeamGroups, useTeamPosts, type FeedFilter } from './team-feed-queries.js';

/** Team: the org's internal feed of status updates, with groups, @mentions and shared files. */
export function TeamFeedPage() {
  const { t } = useTranslation();
  const { org, session } = useCurrentOrg();
  const [filter, setFilter] = useState<FeedFilter>({ groupId: null, mentioningMe: false });
  const posts = useTeamPosts(org.id, filter);
  const groups = useTeamGroups(org.id);
  const members = useMembers(org.id);
  const refresh = useRefreshTeamFeed(org.id);
  const me = session.user.id;
  const mentionable = (members.data ?? []).map((m) => ({ userId: m.userId, name: m.name, email: m.email }));
  const selectedGroup = groups.data?.find((g) => g.id === filter.groupId);
  const all = posts.data?.pages.flatMap((page) => page.posts) ?? [];
  return (
    <Stack gap="md" data-testid="page-team">
      <div>
        <Title order={2}>{selectedGroup ? selectedGroup.name : t('teamFeed.title')}</Title>
        <Text c="dimmed" size="sm" maw={760}>
          {selectedGroup?.description || t('teamFeed.intro')}
        </Text>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }} order={{ base: 2, md: 1 }}>
          <Stack gap="sm" maw={820}>
            {groups.data && (
              <TeamComposer key={filter.groupId ?? 'all'} orgId={org.id} groups={groups.data} defaultGroupId={filter.groupId} onPosted={refresh} />
            )}
            {selectedGroup && !selectedGroup.joined && (
              <Alert color="blue" variant="light" data-testid="team-group-not-joined">
                {t('teamFeed.notJoined', { group: selectedGroup.name })}
              </Alert>
            )}
            <Group justify="space-between">
              <SegmentedControl
                size="xs"
                value={filter.mentioningMe ? 'mentions' : 'all'}
                onChange={(value) => setFilter({ ...filter, mentioningMe: value === 'mentions' })}
                data={[
                  { value: 'all', label: t('teamFeed.allPosts') },
                  { value: 'mentions', label: t('teamFeed.mentionsOfMe') },
                ]}
                data-testid="team-filter"
              />
              {posts.isFetching && !posts.isPending && <Loader size="xs" />}
            </Group>
            {posts.isPending ? (
              <Loader size="sm" />
            ) : posts.isError ? (
              <Alert color="red">{describeError(posts.error)}</Alert>
            ) : all.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="team-feed-empty">
                {filter.mentioningMe ? t('teamFeed.noMentions') : t('teamFeed.empty')}
              </Text>
            ) : (
              <Stack gap="xs" data-testid="team-feed">
                {all.map((post) => (
                  <TeamPostCard
                    key={post.id}
                    orgId={org.id}
                    post={post}
                    group={groups.data?.find((g) => g.id === post.groupId)}
                    members={mentionable}
                    me={me}
                    onChanged={refresh}
                  />
                ))}
                {posts.hasNextPage && (
                  <Button
                    variant="default"
                    size="xs"
                    onClick={() => void posts.fetchNextPage()}
                    loading={posts.isFetchingNextPage}
                    data-testid="team-feed-older"
                  >
                    {t('teamFeed.older')}
                  </Button>
                )}
              </Stack>
            )}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }} order={{ base: 1, md: 2 }}>
          {groups.data && (
            <GroupsSidebar
              orgId={org.id}
              groups={groups.data}
              selected={filter.groupId}
              onSelect={(groupId) => setFilter({ ...filter, groupId })}
              onChanged={refresh}
            />
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
