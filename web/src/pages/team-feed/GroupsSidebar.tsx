import { Alert, Badge, Button, Collapse, Group, NavLink, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createGroup, joinGroup, leaveGroup, type TeamGroup } from '../../api/team-feed.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';

/** The feed's groups: pick one to read, join or leave it, or start a new one. */
export function GroupsSidebar({
  orgId,
  groups,
  selected,
  onSelect,
  onChanged,
}: {
  orgId: string;
  groups: TeamGroup[];
  selected: string | null;
  onSelect: (groupId: string | null) => void;
  onChanged: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const membership = useMutation({
    mutationFn: ({ group, join }: { group: TeamGroup; join: boolean }) => (join ? joinGroup(orgId, group.id) : leaveGroup(orgId, group.id)),
    onSuccess: async (_done, { group, join }) => {
      notifySuccess(join ? t('teamFeed.joined', { group: group.name }) : t('teamFeed.left', { group: group.name }));
      await onChanged();
    },
  });
  return (
    <Paper withBorder radius="md" p="sm" data-testid="team-groups">
      <Title order={5} mb={6}>
        {t('teamFeed.groups')}
      </Title>
      <Stack gap={2}>
        <NavLink
          label={t('teamFeed.wholeFeed')}
          active={selected === null}
          onClick={() => onSelect(null)}
          variant="light"
          styles={{ root: { borderRadius: 6 } }}
          data-testid="team-group-all"
        />
        {groups.map((group) => (
          <div key={group.id} data-testid="team-group" data-group-id={group.id} data-joined={String(group.joined)}>
            <NavLink
              label={group.name}
              description={group.description || undefined}
              active={selected === group.id}
              onClick={() => onSelect(group.id)}
              variant="light"
              styles={{ root: { borderRadius: 6 } }}
              rightSection={
                <Badge size="xs" variant="light" color="gray" title={t('teamFeed.members', { count: group.memberCount })}>
                  {group.memberCount}
                </Badge>
              }
            />
            {selected === group.id && (
              <Group justify="flex-end" px={6} pb={4}>
                <Button
                  size="compact-xs"
                  variant={group.joined ? 'subtle' : 'light'}
                  color={group.joined ? 'gray' : 'blue'}
                  loading={membership.isPending}
                  onClick={() => membership.mutate({ group, join: !group.joined })}
                  data-testid={group.joined ? 'team-group-leave' : 'team-group-join'}
                >
                  {group.joined ? t('teamFeed.leave') : t('teamFeed.join')}
                </Button>
              </Group>
            )}
          </div>
        ))}
        {groups.length === 0 && (
          <Text size="xs" c="dimmed" px={6}>
            {t('teamFeed.noGroups')}
          </Text>
        )}
      </Stack>
      <NewGroupForm
        orgId={orgId}
        onCreated={async (groupId) => {
          await onChanged();
          onSelect(groupId);
        }}
      />
    </Paper>
  );
}

function NewGroupForm({ orgId, onCreated }: { orgId: string; onCreated: (groupId: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useIntentMutation({
    mutationFn: (_: void, intent) =>
      createGroup(orgId, { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) }, intent.key()),
    meta: { quiet: true },
    onSuccess: async (group) => {
      notifySuccess(t('teamFeed.groupCreated', { group: group.name }));
      setName('');
      setDescription('');
      setOpened(false);
      await onCreated(group.id);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <>
      <Button variant="subtle" size="xs" mt="xs" fullWidth onClick={() => setOpened((o) => !o)} data-testid="team-group-new">
        {t('teamFeed.newGroup')}
      </Button>
      <Collapse expanded={opened}>
        <form onSubmit={submit} data-testid="team-group-form">
          <Stack gap={6} mt={6}>
            <TextInput
              size="xs"
              label={t('teamFeed.groupName')}
              required
              maxLength={80}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              data-testid="team-group-name"
            />
            <TextInput
              size="xs"
              label={t('teamFeed.groupDescription')}
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            {create.isError && (
              <Alert color="red" p={6}>
                <Text size="xs">{describeError(create.error)}</Text>
              </Alert>
            )}
            <Button type="submit" size="xs" loading={create.isPending} disabled={!name.trim()} data-testid="team-group-create">
              {t('teamFeed.createGroup')}
            </Button>
          </Stack>
        </form>
      </Collapse>
    </>
  );
}
