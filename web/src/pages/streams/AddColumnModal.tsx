import { Alert, Anchor, Button, Group, Modal, Radio, SegmentedControl, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Channel } from '../../api/channels.js';
import { addColumn, type ColumnWidth, type NewColumn, type StreamKind } from '../../api/streams.js';
import { describeError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { orgPath } from '../../app/paths.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { channelsKey } from '../channels/channel-queries.js';
import { streamsOf, targetNeed, WIDTHS } from './stream-kinds.js';
import { useRefreshBoards } from './stream-queries.js';

const EVERYTHING = 'everything';
const NEW_FEED = 'new-feed';

/**
 * Adds a column: an account and one of its streams (with a search, list or handle where the
 * stream needs one), a search across everything Chorus has stored, or a blog by its feed address
 * (no channel needed).
 */
export function AddColumnModal({ boardId, channels, opened, onClose }: { boardId: string; channels: Channel[]; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const refreshBoards = useRefreshBoards(org.id);
  const readable = channels.filter((c) => streamsOf(c).length > 0);
  const [source, setSource] = useState<string>(readable[0]?.id ?? EVERYTHING);
  const [kind, setKind] = useState<StreamKind | null>(null);
  const [target, setTarget] = useState('');
  const [feedUrl, setFeedUrl] = useState('');
  const [title, setTitle] = useState('');
  const [width, setWidth] = useState<ColumnWidth>('normal');

  const channel = readable.find((c) => c.id === source);
  const kinds: StreamKind[] = channel ? streamsOf(channel) : source === EVERYTHING ? ['saved_search'] : ['feed'];
  const chosenKind: StreamKind = kind && kinds.includes(kind) ? kind : kinds[0]!;
  const need = targetNeed(chosenKind);

  const reset = () => {
    setKind(null);
    setTarget('');
    setFeedUrl('');
    setTitle('');
    setWidth('normal');
  };

  const add = useIntentMutation({
    meta: { quiet: true },
    mutationFn: async (_: void, intent) => {
      const input: NewColumn = { kind: chosenKind, width };
      if (channel) input.channelAccountId = channel.id;
      // A blog by its address: the server checks the feed before the column exists.
      if (source === NEW_FEED) input.target = feedUrl.trim();
      else if (need !== 'none' && target.trim()) input.target = target.trim();
      if (title.trim()) input.title = title.trim();
      return addColumn(org.id, boardId, input, intent.key());
    },
    onSuccess: async () => {
      // A feed added by its address becomes a (read-only) channel on the server.
      await Promise.all([refreshBoards(), client.invalidateQueries({ queryKey: channelsKey(org.id) })]);
      reset();
      onClose();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };

  // An account by its name; its network and handle (a feed's host) on a second line, which tells apart two feeds of one host.
  const sources = [
    ...readable.map((c) => ({ value: c.id, label: c.displayName || c.handle })),
    { value: EVERYTHING, label: t('streams.add.everything') },
    { value: NEW_FEED, label: t('streams.add.newFeed') },
  ];
  const secondLine = new Map(
    readable.map((c) => [c.id, c.handle && c.handle !== c.displayName ? `${t(`networks.${c.network}`)} · ${c.handle}` : t(`networks.${c.network}`)]),
  );
  const ready = (need !== 'required' || target.trim() !== '') && (source !== NEW_FEED || feedUrl.trim() !== '');

  return (
    <Modal opened={opened} onClose={onClose} title={t('streams.add.title')} size="lg">
      <form onSubmit={submit} data-testid="add-column-form">
        <Stack gap="md">
          {readable.length === 0 && (
            <Alert color="blue" variant="light" data-testid="add-column-no-accounts">
              <Text size="sm">{t('streams.add.noAccounts')}</Text>
              <Anchor component={Link} to={orgPath(org.id, 'settings/channels')} size="sm">
                {t('streams.connectAccounts')}
              </Anchor>
            </Alert>
          )}
          <Select
            label={t('streams.add.source')}
            data={sources}
            value={source}
            onChange={(value) => value && setSource(value)}
            allowDeselect={false}
            data-testid="add-column-source"
            comboboxProps={{ withinPortal: true }}
            renderOption={({ option }) => (
              <div>
                <Text size="sm">{option.label}</Text>
                {secondLine.has(option.value) && (
                  <Text size="xs" c="dimmed">
                    {secondLine.get(option.value)}
                  </Text>
                )}
              </div>
            )}
          />
          {channel && (
            <Text size="xs" c="dimmed" mt={-10} data-testid="add-column-source-detail">
              {secondLine.get(channel.id)}
            </Text>
          )}
          {source === NEW_FEED && (
            <TextInput
              label={t('streams.add.feedUrl')}
              description={t('streams.add.feedUrlHint')}
              placeholder="https://example.com/feed.xml"
              type="url"
              required
              value={feedUrl}
              onChange={(e) => setFeedUrl(e.currentTarget.value)}
              data-testid="add-column-feed-url"
            />
          )}
          {kinds.length > 1 && (
            <Radio.Group label={t('streams.add.kind')} value={chosenKind} onChange={(value) => setKind(value as StreamKind)}>
              <Group gap="md" mt={6}>
                {kinds.map((k) => (
                  <Radio key={k} value={k} label={t(`streams.kinds.${k}`)} data-testid={`add-column-kind-${k}`} />
                ))}
              </Group>
            </Radio.Group>
          )}
          {need !== 'none' && (
            <TextInput
              label={t(`streams.add.target.${chosenKind}`)}
              description={t(`streams.add.targetHint.${chosenKind}`)}
              required={need === 'required'}
              value={target}
              maxLength={500}
              onChange={(e) => setTarget(e.currentTarget.value)}
              data-testid="add-column-target"
            />
          )}
          <TextInput
            label={t('streams.add.columnTitle')}
            description={t('streams.add.columnTitleHint')}
            value={title}
            maxLength={100}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="add-column-title"
          />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('streams.column.width')}
            </Text>
            <SegmentedControl
              size="xs"
              value={width}
              onChange={(value) => setWidth(value as ColumnWidth)}
              data={WIDTHS.map((w) => ({ value: w, label: t(`streams.widths.${w}`) }))}
            />
          </div>
          {add.isError && (
            <Alert color="red" variant="light" data-testid="add-column-error">
              {describeError(add.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending} disabled={!ready} data-testid="add-column-submit">
              {t('streams.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
