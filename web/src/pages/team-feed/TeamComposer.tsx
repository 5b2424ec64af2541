import { Alert, Button, CloseButton, FileButton, Group, Paper, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createTeamPost, type TeamGroup } from '../../api/team-feed.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { useFormatBytes } from '../../components/format.js';
import { PaperclipIcon } from './PaperclipIcon.js';
import { attachmentProblem, ATTACHMENT_MAX_BYTES, ATTACHMENTS_PER_POST, TEAM_POST_MAX_LENGTH, toAttachments, type AttachmentProblem } from './attachments.js';

const EVERYONE = '';

/** Writes a status update to the whole team or one of the writer's groups, with up to four files. */
export function TeamComposer({
  orgId,
  groups,
  defaultGroupId,
  onPosted,
}: {
  orgId: string;
  groups: TeamGroup[];
  defaultGroupId: string | null;
  onPosted: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const formatBytes = useFormatBytes();
  const joined = groups.filter((g) => g.joined);
  const [text, setText] = useState('');
  const [groupId, setGroupId] = useState(defaultGroupId && joined.some((g) => g.id === defaultGroupId) ? defaultGroupId : EVERYONE);
  const [files, setFiles] = useState<File[]>([]);
  const [refused, setRefused] = useState<AttachmentProblem | null>(null);
  const post = useIntentMutation({
    mutationFn: async (_: void, intent) =>
      createTeamPost(orgId, { text, ...(groupId ? { groupId } : {}), ...(files.length ? { attachments: await toAttachments(files) } : {}) }, intent.key()),
    meta: { quiet: true },
    onSuccess: async () => {
      setText('');
      setFiles([]);
      setRefused(null);
      notifySuccess(t('teamFeed.posted'));
      await onPosted();
    },
  });
  const addFiles = (picked: File[]) => {
    const next = [...files, ...picked];
    const problem = attachmentProblem(next);
    setRefused(problem);
    // Keep what fits; name what does not.
    if (!problem) setFiles(next);
    else setFiles(next.filter((f) => f.size <= ATTACHMENT_MAX_BYTES).slice(0, ATTACHMENTS_PER_POST));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    post.mutate();
  };
  const empty = !text.trim() && files.length === 0;
  return (
    <Paper withBorder radius="md" p="md">
      <form onSubmit={submit} data-testid="team-composer">
        <Stack gap="xs">
          <Textarea
            aria-label={t('teamFeed.composerLabel')}
            placeholder={t('teamFeed.placeholder')}
            autosize
            minRows={2}
            maxRows={12}
            maxLength={TEAM_POST_MAX_LENGTH}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            data-testid="team-composer-text"
          />
          {files.length > 0 && (
            <Stack gap={2} data-testid="team-composer-files">
              {files.map((file, index) => (
                <Group key={`${file.name}-${index}`} gap={6} wrap="nowrap" data-testid="team-composer-file">
                  <Text size="sm" truncate>
                    <PaperclipIcon />
                    {file.name}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                    {formatBytes(file.size)}
                  </Text>
                  <CloseButton
                    size="sm"
                    aria-label={t('teamFeed.removeFile', { name: file.name })}
                    onClick={() => setFiles(files.filter((_, i) => i !== index))}
                  />
                </Group>
              ))}
            </Stack>
          )}
          {refused && (
            <Alert color="red" variant="light" p="xs" data-testid="attachment-error">
              {refused.kind === 'too_many'
                ? t('teamFeed.tooManyFiles', { max: refused.max })
                : t('teamFeed.fileTooLarge', { name: refused.name, max: refused.maxMb })}
            </Alert>
          )}
          {post.isError && (
            <Alert color="red" variant="light" p="xs" data-testid="team-post-error">
              {describeError(post.error)}
            </Alert>
          )}
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Group gap="xs" wrap="nowrap">
              <Select
                aria-label={t('teamFeed.postTo')}
                data={[{ value: EVERYONE, label: t('teamFeed.everyone') }, ...joined.map((g) => ({ value: g.id, label: g.name }))]}
                value={groupId}
                onChange={(value) => setGroupId(value ?? EVERYONE)}
                allowDeselect={false}
                w={200}
                size="sm"
                data-testid="team-composer-group"
              />
              <FileButton onChange={addFiles} multiple>
                {(props) => (
                  <Button {...props} variant="default" size="sm" disabled={files.length >= ATTACHMENTS_PER_POST} data-testid="team-composer-attach">
                    {t('teamFeed.attach')}
                  </Button>
                )}
              </FileButton>
              <Text size="xs" c="dimmed" visibleFrom="sm">
                {t('teamFeed.attachHint', { count: ATTACHMENTS_PER_POST, max: ATTACHMENT_MAX_BYTES / 1024 / 1024 })}
              </Text>
            </Group>
            <Button type="submit" loading={post.isPending} disabled={empty} data-testid="team-composer-post">
              {t('teamFeed.post')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
