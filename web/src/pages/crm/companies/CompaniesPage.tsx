import { Alert, Anchor, Button, Group, Loader, Paper, Table, Text, TextInput, Title, Stack } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { createCompany, listCompanies } from '../../../api/crm-pipeline.js';
import { describeError } from '../../../app/errors.js';
import { useIntentMutation } from '../../../app/intent-mutation.js';
import { orgPath } from '../../../app/paths.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { useContactRights } from '../contact-queries.js';

export const companiesKey = (orgId: string) => ['org', orgId, 'companies'] as const;

/** Companies by name, with how many contacts each has; editors add one by name and domain. */
export function CompaniesPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const rights = useContactRights();
  const companies = useQuery({ queryKey: companiesKey(org.id), queryFn: () => listCompanies(org.id), meta: { quiet: true } });
  return (
    <Stack gap="md" data-testid="page-companies">
      <Title order={2}>{t('companies.title')}</Title>
      {rights.write && <NewCompanyForm />}
      <Paper withBorder radius="md" p="md">
        {companies.isPending ? (
          <Loader size="sm" />
        ) : companies.isError ? (
          <Alert color="red" variant="light">
            {describeError(companies.error)}
          </Alert>
        ) : companies.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('companies.none')}
          </Text>
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('companies.name')}</Table.Th>
                <Table.Th>{t('companies.domain')}</Table.Th>
                <Table.Th>{t('companies.people')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {companies.data.map((company) => (
                <Table.Tr key={company.id} data-testid="company-row">
                  <Table.Td>
                    <Anchor component={Link} to={orgPath(org.id, `companies/${encodeURIComponent(company.id)}`)}>
                      {company.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{company.domain ?? '—'}</Table.Td>
                  <Table.Td>{company.contactCount}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

function NewCompanyForm() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [domain, setDomain] = useState('');
  const add = useIntentMutation({
    mutationFn: (input: { name: string; domain: string | null }, intent) => createCompany(org.id, input, intent.key()),
    onSuccess: async () => {
      setName('');
      setDomain('');
      await client.invalidateQueries({ queryKey: companiesKey(org.id) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) add.mutate({ name: name.trim(), domain: domain.trim() || null });
  };
  return (
    <form onSubmit={submit} data-testid="new-company-form">
      <Group align="flex-end">
        <TextInput label={t('companies.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={200} data-testid="company-name" />
        <TextInput
          label={t('companies.domain')}
          placeholder="example.com"
          value={domain}
          onChange={(e) => setDomain(e.currentTarget.value)}
          maxLength={253}
          data-testid="company-domain"
        />
        <Button type="submit" disabled={!name.trim()} loading={add.isPending} data-testid="company-add">
          {t('companies.add')}
        </Button>
      </Group>
      {add.isError && (
        <Alert color="red" variant="light" mt="xs">
          {describeError(add.error)}
        </Alert>
      )}
    </form>
  );
}
