import { Alert, Stack, Text } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { channelQuota, type Channel } from '../../api/channels.js';
import { useCurrentOrg } from '../../shell/current-org.js';

/** Below this share left, a broadcast may not reach every friend: say so before sending. */
const NEARLY_FULL = 0.9;
/** Networks whose connectors report a sending cap (GET …/channels/:id/quota), and where their texts are: each counts in its own way. */
const QUOTA_TEXTS: Readonly<Record<string, string>> = { line: 'publish.quota', threads: 'publish.quota.posts', instagram: 'publish.quota.instagram' };

/** Each chosen account's sending cap and use this period, read before the post goes out. */
export function SendingQuotas({ channels }: { channels: Channel[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const capped = channels.filter((c) => Object.hasOwn(QUOTA_TEXTS, c.network));
  const answers = useQueries({
    queries: capped.map((channel) => ({
      queryKey: ['orgs', org.id, 'channels', channel.id, 'quota'],
      queryFn: () => channelQuota(org.id, channel.id),
      staleTime: 60_000,
    })),
  });
  if (capped.length === 0) return null;
  return (
    <Stack gap={4} mt={6} data-testid="sending-quotas">
      {capped.map((channel, i) => {
        const answer = answers[i];
        const name = channel.displayName;
        if (answer?.isError)
          return (
            <Text key={channel.id} size="xs" c="yellow.8">
              {t('publish.quota.unavailable', { name })}
            </Text>
          );
        const quota = answer?.data?.quota;
        if (!quota) return null;
        const nearlyFull = quota.limit !== null && quota.used >= quota.limit * NEARLY_FULL;
        // Threads and Instagram cap posts per 24 hours; LINE counts messages per month.
        const keys = QUOTA_TEXTS[channel.network]!;
        const line =
          quota.limit === null ? t(`${keys}.unlimited`, { name, used: quota.used }) : t(`${keys}.label`, { name, used: quota.used, limit: quota.limit });
        return nearlyFull ? (
          <Alert key={channel.id} color="yellow" variant="light" p="xs" data-testid="sending-quota" data-nearly-full="true">
            <Text size="xs">{line}</Text>
            <Text size="xs">{t(`${keys}.nearlyFull`)}</Text>
          </Alert>
        ) : (
          <Text key={channel.id} size="xs" c="dimmed" data-testid="sending-quota">
            {line} · {t(`${keys}.explain`)}
          </Text>
        );
      })}
    </Stack>
  );
}
