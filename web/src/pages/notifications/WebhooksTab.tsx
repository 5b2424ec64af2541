import { Alert, Badge, Button, Checkbox, Code, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addWebhook, listWebhooks, removeWebhook, testWebhook, WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from '../../api/notifications.js';
import { describeError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { SecretField } from '../../components/SecretField.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { webhooksKey } from './notification-queries.js';

/** Settings → Webhooks (admins): where Chorus POSTs signed events, and whether the last one arrived. */
export function WebhooksTab() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const webhooks = useQuery({ queryKey: webhooksKey(org.id), queryFn: () => listWebhooks(org.id) });
  return (
    <Stack gap="lg" data-testid="webhooks-tab">
      <Paper withBorder radius="md" p="md">
        <Title order={4} mb={4}>
          {t('webhooks.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm" maw={760}>
          {t('webhooks.intro')}
        </Text>
        {webhooks.isPending ? (
          <Loader size="sm" />
        ) : webhooks.isError ? (
          <Alert color="red">{describeError(webhooks.error)}</Alert>
        ) : webhooks.data.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-webhooks">
            {t('webhooks.none')}
          </Text>
        ) : (
          <Stack gap="sm">
            {webhooks.data.map((webhook) => (
              <WebhookRow key={webhook.id} webhook={webhook} />
            ))}
          </Stack>
        )}
      </Paper>
      <AddWebhook />
    </Stack>
  );
}

function WebhookRow({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const formatDate = useFormatDate();
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhooksKey(org.id) });
  const test = useMutation({ mutationFn: () => testWebhook(org.id, webhook.id), onSuccess: refresh });
  const remove = useMutation({
    mutationFn: () => removeWebhook(org.id, webhook.id),
    onSuccess: async () => {
      notifySuccess(t('webhooks.removed'));
      await refresh();
    },
  });
  const delivered = webhook.lastDeliveryAt !== null && webhook.lastError === null;
  return (
    <Paper withBorder radius="sm" p="sm" data-testid="webhook-row" data-url={webhook.url}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
            {webhook.url}
          </Text>
          <Group gap={4}>
            {webhook.events.map((event) => (
              <Badge key={event} size="sm" variant="light" color="gray">
                {t(`webhooks.events.${event.replace('.', '_')}`, { defaultValue: event })}
              </Badge>
            ))}
          </Group>
          <Text
            size="xs"
            c={webhook.lastDeliveryAt === null ? 'dimmed' : delivered ? 'teal.8' : 'red'}
            data-testid="webhook-last-delivery"
            data-ok={webhook.lastDeliveryAt === null ? undefined : String(delivered)}
          >
            {webhook.lastDeliveryAt === null
              ? t('webhooks.neverDelivered')
              : delivered
                ? t('webhooks.deliveredOk', { when: formatDate(webhook.lastDeliveryAt), status: webhook.lastDeliveryStatus ?? '' })
                : t('webhooks.deliveredFailed', { when: formatDate(webhook.lastDeliveryAt), error: webhook.lastError })}
          </Text>
        </Stack>
        <Group gap={4} wrap="nowrap">
          <Button size="xs" variant="default" loading={test.isPending} onClick={() => test.mutate()} data-testid="webhook-test">
            {t('webhooks.test')}
          </Button>
          <ConfirmButton
            question={t('webhooks.removeQuestion', { url: webhook.url })}
            confirmLabel={t('webhooks.remove')}
            onConfirm={() => remove.mutate()}
            loading={remove.isPending}
            data-testid="webhook-remove"
          >
            {t('webhooks.remove')}
          </ConfirmButton>
        </Group>
      </Group>
    </Paper>
  );
}

function AddWebhook() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['post.target_failed', 'post.rejected']);
  const add = useIntentMutation({
    meta: { quiet: true },
    mutationFn: (_: void, intent) => addWebhook(org.id, { url: url.trim(), events }, intent.key()),
    onSuccess: async () => {
      setUrl('');
      await queryClient.invalidateQueries({ queryKey: webhooksKey(org.id) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid="add-webhook">
      <Title order={4} mb="sm">
        {t('webhooks.addTitle')}
      </Title>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label={t('webhooks.url')}
            placeholder="https://example.com/chorus-events"
            type="url"
            required
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            maw={520}
            data-testid="webhook-url"
          />
          <Checkbox.Group label={t('webhooks.eventsLabel')} value={events} onChange={(value) => setEvents(value as WebhookEvent[])}>
            <Stack gap={6} mt={6}>
              {WEBHOOK_EVENTS.map((event) => (
                <Checkbox key={event} value={event} label={t(`webhooks.events.${event.replace('.', '_')}`)} data-testid={`webhook-event-${event}`} />
              ))}
            </Stack>
          </Checkbox.Group>
          {add.isError && (
            <Alert color="red" variant="light" data-testid="webhook-error">
              {describeError(add.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={add.isPending} disabled={events.length === 0} data-testid="webhook-add">
              {t('webhooks.add')}
            </Button>
          </Group>
        </Stack>
      </form>
      {add.data && (
        <Alert color="blue" variant="light" mt="md" title={t('webhooks.secretTitle')} data-testid="webhook-secret-shown">
          <Stack gap="xs">
            <Text size="sm">{t('webhooks.secretOnce')}</Text>
            <SecretField label={t('webhooks.secret')} value={add.data.secret} testId="webhook-secret" />
            <Text size="sm">
              {t('webhooks.verifyNote')} <Code>X-Chorus-Signature: sha256=&lt;hex&gt;</Code>
            </Text>
            <Code
              block
            >{`expected = "sha256=" + hex(HMAC_SHA256(secret, raw_request_body))\nconstant_time_equal(expected, request.headers["X-Chorus-Signature"])`}</Code>
          </Stack>
        </Alert>
      )}
    </Paper>
  );
}
