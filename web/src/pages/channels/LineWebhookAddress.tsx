import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SecretField } from '../../components/SecretField.js';

/**
 * Where LINE must send this channel's chats. The browser's own origin is the address people reach
 * Chorus at (behind the documented reverse proxy too), so it is what LINE can reach.
 */
export function LineWebhookAddress({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const address = `${window.location.origin}/webhooks/line/${encodeURIComponent(channelId)}`;
  return (
    <Stack gap={2} mt={6} maw={560}>
      <SecretField label={t('channels.lineWebhook.label')} value={address} testId="line-webhook-address" />
      <Text size="xs" c="dimmed">
        {t('channels.lineWebhook.help')}
      </Text>
    </Stack>
  );
}
