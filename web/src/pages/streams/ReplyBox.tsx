import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createPost, type Post } from '../../api/publishing.js';
import type { StreamItem } from '../../api/streams.js';
import { describeError } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { can } from '../../app/permissions.js';
import { browserTimeZone } from '../../components/TimeZoneSelect.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { privateReplyText } from '@core/networks/index.js';
import { measure } from '../publishing/composer-rules.js';
import { useRefreshPosts } from '../publishing/post-queries.js';
import { SendReport } from '../publishing/SendReport.js';

/**
 * A reply written in place, under the item it answers, from the account that read it. Sent at
 * once (or for approval, for a role that cannot publish); the Publish composer is left alone.
 */
export function ReplyBox({ item, channelAccountId, onClose }: { item: StreamItem; channelAccountId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshPosts(org.id);
  const [text, setText] = useState('');
  const [sent, setSent] = useState<{ post: Post; at: number } | null>(null);
  const canPublish = can(org.role, 'posts.publish');
  const blank = measure(item.network, text, {}, { mediaCount: 0 }).empty;
  // A private reply is counted as it goes out: on Mastodon with the person's @handle in front (a blank one stays blank, as publishing counts it).
  const asSent = item.isDirect && !blank ? privateReplyText(item.network, item.author.handle, text) : text;
  const length = measure(item.network, asSent, {}, { mediaCount: 0 });
  const send = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (_: void, intent) =>
      createPost(
        org.id,
        {
          text,
          overrides: {},
          channelAccountIds: [channelAccountId],
          action: canPublish ? 'publish_now' : 'submit',
          timeZone: browserTimeZone(),
          // A direct message is answered privately, never in the open.
          replyTo: { remoteId: item.remoteId, ...(item.isDirect ? { privateTo: item.author.handle } : {}) },
        },
        intent.key('reply'),
      ),
    onSuccess: async (post) => {
      setSent({ post, at: Date.now() });
      setText('');
      await refresh();
    },
  });
  const label = t(item.isDirect ? 'streams.reply.privateLabel' : 'streams.reply.label', { author: item.author.displayName || item.author.handle });
  return (
    <Stack gap={6} mt={6} data-testid="reply-box">
      {sent && <SendReport orgId={org.id} post={sent.post} sentAt={sent.at} />}
      <Textarea
        aria-label={label}
        placeholder={label}
        autosize
        minRows={2}
        maxRows={8}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        data-testid="reply-text"
        data-autofocus
        autoFocus
      />
      {item.isDirect && (
        <Text size="xs" c="dimmed" data-testid="reply-private-note">
          {t('streams.reply.privateNote', { handle: item.author.handle })}
        </Text>
      )}
      <Group gap="xs" justify="space-between" wrap="nowrap">
        <Text size="xs" c={length.fits ? 'dimmed' : 'red.8'} data-testid="reply-counter">
          {length.length} / {length.limit}
        </Text>
        <Group gap="xs">
          <Button size="compact-sm" variant="default" onClick={onClose} data-testid="reply-cancel">
            {sent ? t('streams.reply.close') : t('streams.reply.cancel')}
          </Button>
          <Button size="compact-sm" onClick={() => send.mutate()} loading={send.isPending} disabled={blank || !length.fits} data-testid="reply-send">
            {canPublish ? t('streams.reply.send') : t('streams.reply.submit')}
          </Button>
        </Group>
      </Group>
      {send.isError && (
        <Text size="xs" c="red.8" role="alert" data-testid="reply-error">
          {describeError(send.error)}
        </Text>
      )}
    </Stack>
  );
}
