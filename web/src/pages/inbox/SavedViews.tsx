import { ActionIcon, Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deleteInboxView, saveInboxView, type ConversationFilters } from '../../api/inbox.js';
import { notifyError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { useInboxViews, useRefreshInbox } from './inbox-queries.js';

type Scope = Omit<ConversationFilters, 'status'>;
const same = (a: Scope, b: Scope) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Built-in views (all, mine, unassigned), a tag view, and the member's saved views; the current scope can be saved. */
export function SavedViews({ orgId, current, onPick }: { orgId: string; current: Scope; onPick: (scope: Scope) => void }) {
  const { t } = useTranslation();
  const views = useInboxViews(orgId);
  const refresh = useRefreshInbox(orgId);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState('');
  const [notify, setNotify] = useState(true);
  const [tag, setTag] = useState('');
  const save = useIntentMutation({
    mutationFn: (input: { name: string; notify: boolean }, intent) => saveInboxView(orgId, { ...input, filters: current }, intent.key()),
    onSuccess: () => {
      setSaving(false);
      setName('');
      void refresh();
    },
    onError: notifyError,
  });
  const remove = useMutation({ mutationFn: (viewId: string) => deleteInboxView(orgId, viewId), onSuccess: refresh, onError: notifyError });
  const builtIn: { key: string; scope: Scope }[] = [
    { key: 'all', scope: {} },
    { key: 'mine', scope: { assignee: 'me' } },
    { key: 'unassigned', scope: { assignee: 'unassigned' } },
  ];
  return (
    <Stack gap={6} data-testid="inbox-views">
      <Group gap={6} wrap="wrap">
        {builtIn.map((view) => (
          <Button
            key={view.key}
            size="compact-xs"
            variant={same(current, view.scope) ? 'filled' : 'default'}
            onClick={() => onPick(view.scope)}
            data-testid={`inbox-view-${view.key}`}
          >
            {t(`inbox.views.${view.key}`)}
          </Button>
        ))}
        {(views.data ?? []).map((view) => (
          <Group key={view.id} gap={0} wrap="nowrap">
            <Button
              size="compact-xs"
              variant={same(current, view.filters) ? 'filled' : 'light'}
              onClick={() => onPick(view.filters)}
              data-testid="inbox-saved-view"
            >
              {view.name}
              {view.notify ? ' 🔔' : ''}
            </Button>
            <ActionIcon
              size="xs"
              variant="subtle"
              color="gray"
              aria-label={t('inbox.views.delete', { name: view.name })}
              onClick={() => remove.mutate(view.id)}
            >
              ×
            </ActionIcon>
          </Group>
        ))}
        <Button size="compact-xs" variant="subtle" onClick={() => setSaving(true)} data-testid="inbox-save-view">
          {t('inbox.views.save')}
        </Button>
      </Group>
      <TextInput
        size="xs"
        w={200}
        placeholder={t('inbox.views.byTag')}
        aria-label={t('inbox.views.byTag')}
        value={tag}
        onChange={(e) => setTag(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          const { tag: _tag, ...rest } = current;
          onPick(tag.trim() ? { ...rest, tag: tag.trim() } : rest);
        }}
        data-testid="inbox-tag-filter"
      />
      <Modal opened={saving} onClose={() => setSaving(false)} title={t('inbox.views.saveTitle')}>
        <Stack gap="sm">
          <TextInput
            label={t('inbox.views.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={100}
            data-testid="inbox-view-name"
          />
          <Checkbox label={t('inbox.views.notify')} checked={notify} onChange={(e) => setNotify(e.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button
              size="xs"
              disabled={!name.trim()}
              loading={save.isPending}
              onClick={() => save.mutate({ name: name.trim(), notify })}
              data-testid="inbox-view-save"
            >
              {t('inbox.views.saveButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
