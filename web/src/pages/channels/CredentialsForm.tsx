import { Alert, Anchor, Button, Group, List, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.js';
import type { Network } from '../../api/channels.js';
import { describeError, translatedReason } from '../../app/errors.js';
import { credentialsFrom, NETWORK_FORMS } from './network-forms.js';

/**
 * The credentials of one network, as its schema on the server asks for them; used to connect a
 * new account and to reconnect an existing one.
 */
export function CredentialsForm({
  network,
  initial = {},
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  network: Network;
  initial?: Record<string, string>;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (credentials: Record<string, string>) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const fields = NETWORK_FORMS[network] ?? [];
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.name, initial[f.name] ?? f.initial ?? ''])));
  const [advanced, setAdvanced] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(credentialsFrom(fields, values));
  };
  const set = (name: string, value: string) => setValues((current) => ({ ...current, [name]: value }));
  return (
    <form onSubmit={submit} data-testid={`credentials-form-${network}`}>
      <Stack gap="sm">
        {fields.length === 0 && (
          <Text size="sm" c="dimmed">
            {t(`channels.help.${network}`, { defaultValue: t('channels.noFields') })}
          </Text>
        )}
        {fields.length > 0 && (
          <Text size="sm" c="dimmed">
            {t(`channels.help.${network}`, { defaultValue: '' })}
          </Text>
        )}
        {fields
          .filter((field) => !field.advanced || advanced)
          .map((field) => {
            const common = {
              label: t(`channels.fields.${network}.${field.name}`),
              description: t(`channels.hints.${network}.${field.name}`, { defaultValue: '' }) || undefined,
              required: field.required,
              value: values[field.name] ?? '',
              'data-testid': `field-${network}-${field.name}`,
            };
            return field.kind === 'secret' ? (
              <PasswordInput key={field.name} {...common} autoComplete="new-password" onChange={(e) => set(field.name, e.currentTarget.value)} />
            ) : (
              <TextInput
                key={field.name}
                {...common}
                type={field.kind === 'url' ? 'url' : 'text'}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => set(field.name, e.currentTarget.value)}
              />
            );
          })}
        {fields.some((f) => f.advanced) && !advanced && (
          <Anchor component="button" type="button" size="xs" onClick={() => setAdvanced(true)} data-testid={`advanced-${network}`}>
            {t('channels.advanced')}
          </Anchor>
        )}
        {error !== null && error !== undefined && <ChannelError error={error} />}
        <Group gap="xs">
          <Button type="submit" loading={pending} data-testid={`submit-${network}`}>
            {submitLabel}
          </Button>
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/**
 * A connect or reconnect failure: a plain headline in the reader's language (what to do next),
 * then the server's own sentence, which names the network and what it said.
 */
export function ChannelError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const code = error instanceof ApiError ? error.code : 'unexpected';
  const details = (error instanceof ApiError ? error.details : undefined) as
    { failureKind?: string; retryAfterSeconds?: number; problems?: unknown } | undefined;
  const headline =
    code === 'channel_verification_failed' && details?.failureKind
      ? verificationHeadline(t, details.failureKind, details.retryAfterSeconds)
      : t(`channels.errors.${code}`, { defaultValue: t('errors.title') });
  // The server's sentence names the network and what it said; a cause it coded is said in the reader's language.
  const detail = error instanceof ApiError && !translatedReason(error) ? error.message : describeError(error);
  const problems = code === 'invalid_channel_credentials' && Array.isArray(details?.problems) ? details.problems.map(String) : [];
  return (
    <Alert color="red" variant="light" title={headline} data-testid="channel-error" data-code={code}>
      <Text size="sm">{detail}</Text>
      {problems.length > 1 && (
        <List size="sm" mt={4}>
          {problems.map((problem) => (
            <List.Item key={problem}>{problem}</List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** The network refused: wrong details (check them) or a pause it asked for (try again in N s). */
function verificationHeadline(t: TFunction, failureKind: string, retryAfterSeconds: number | undefined): string {
  if (failureKind === 'auth') return t('channels.errors.verification.auth');
  if (failureKind === 'rate_limited' || failureKind === 'transient') {
    return retryAfterSeconds ? t('channels.errors.verification.retryIn', { seconds: retryAfterSeconds }) : t('channels.errors.verification.retrySoon');
  }
  return t('channels.errors.channel_verification_failed');
}
