import { Alert, Button, Group, Loader, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { createApiToken, listApiTokens, revokeApiToken } from '../../api/me.js';
import type { ApiToken } from '../../api/types.js';
import { notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { SecretField } from '../../components/SecretField.js';

export const TOKENS_KEY = ['me', 'tokens'] as const;
const LIFETIMES = ['30', '90', '365', 'never'] as const;

/** Settings → API tokens: personal tokens for scripts and integrations (`Authorization: Bearer …`). */
export function ApiTokensTab() {
  const { t } = useTranslation();
  const tokens = useQuery({ queryKey: TOKENS_KEY, queryFn: () => listApiTokens().then((r) => r.tokens) });
  const formatDate = useFormatDate();
  return (
    <Stack gap="lg">
      <CreateToken />
      <Paper withBorder radius="md">
        <Title order={4} p="md" pb="xs">
          {t('tokens.listTitle')}
        </Title>
        {tokens.isPending ? (
          <Loader size="sm" m="md" />
        ) : tokens.data?.length ? (
          <Table.ScrollContainer minWidth={720}>
            <Table striped verticalSpacing={6} data-testid="tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.name')}</Table.Th>
                  <Table.Th>{t('tokens.prefix')}</Table.Th>
                  <Table.Th>{t('tokens.created')}</Table.Th>
                  <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                  <Table.Th>{t('tokens.expires')}</Table.Th>
                  <Table.Th w={100} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((token) => (
                  <Table.Tr key={token.id} data-testid="token-row">
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {token.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {token.prefix}…
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(token.createdAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{token.lastUsedAt ? formatDate(token.lastUsedAt) : t('tokens.neverUsed')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')}</Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <RevokeToken token={token} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ) : (
          <Text size="sm" c="dimmed" p="md" pt={0}>
            {t('tokens.empty')}
          </Text>
        )}
      </Paper>
    </Stack>
  );
}

function CreateToken() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [lifetime, setLifetime] = useState<string>('90');
  const create = useIntentMutation({
    mutationFn: (_: void, intent) => createApiToken({ name, ...(lifetime === 'never' ? {} : { expiresInDays: Number(lifetime) }) }, intent.key()),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={4} mb={4}>
        {t('tokens.createTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('tokens.intro')}
      </Text>
      <form onSubmit={submit} data-testid="create-token-form">
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('tokens.name')}
            placeholder={t('tokens.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            w={260}
          />
          <Select
            label={t('tokens.lifetime')}
            data={LIFETIMES.map((value) => ({ value, label: t(`tokens.lifetimes.${value}`) }))}
            value={lifetime}
            onChange={(value) => value && setLifetime(value)}
            allowDeselect={false}
            w={160}
          />
          <Button type="submit" loading={create.isPending} data-testid="create-token">
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      {create.data && (
        <Alert color="yellow" variant="light" mt="md" title={t('tokens.shownOnceTitle')}>
          <Text size="sm" mb="xs">
            {t('tokens.shownOnceBody')}
          </Text>
          <SecretField label={create.data.apiToken.name} value={create.data.token} testId="new-token" />
        </Alert>
      )}
    </Paper>
  );
}

function RevokeToken({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => revokeApiToken(token.id),
    onSuccess: async () => {
      notifySuccess(t('tokens.revoked', { name: token.name }));
      await queryClient.invalidateQueries({ queryKey: TOKENS_KEY });
    },
  });
  return (
    <ConfirmButton
      question={t('tokens.revokeQuestion', { name: token.name })}
      confirmLabel={t('tokens.revoke')}
      onConfirm={() => revoke.mutate()}
      loading={revoke.isPending}
      data-testid="revoke-token"
    >
      {t('tokens.revoke')}
    </ConfirmButton>
  );
}
