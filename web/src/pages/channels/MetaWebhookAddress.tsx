import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SecretField } from '../../components/SecretField.js';

/** Where Meta must send this Facebook Page's comments: the callback URL of the app's Page webhook. */
export function MetaWebhookAddress({ channelId }: { channelId: string }) {
  const { t } = useTranslation();
  const address = `${window.location.origin}/webhooks/meta/${encodeURIComponent(channelId)}`;
  return (
    <Stack gap={2} mt={6} maw={560}>
      <SecretField label={t('channels.metaWebhook.label')} value={address} testId="meta-webhook-address" />
      <Text size="xs" c="dimmed">
        {t('channels.metaWebhook.help')}
      </Text>
    </Stack>
  );
}
