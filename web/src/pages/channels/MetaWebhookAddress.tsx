import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SecretField } from '../../components/SecretField.js';

/** Where Meta must send this Page's comments and Messenger chats, or this Instagram account's comments and mentions: the app's webhook callback URL. */
export function MetaWebhookAddress({ channelId, network }: { channelId: string; network: 'facebook' | 'instagram' }) {
  const { t } = useTranslation();
  const address = `${window.location.origin}/webhooks/meta/${encodeURIComponent(channelId)}`;
  return (
    <Stack gap={2} mt={6} maw={560}>
      <SecretField label={t('channels.metaWebhook.label')} value={address} testId="meta-webhook-address" />
      <Text size="xs" c="dimmed">
        {t(network === 'facebook' ? 'channels.metaWebhook.help' : 'channels.metaWebhook.instagramHelp')}
      </Text>
    </Stack>
  );
}
