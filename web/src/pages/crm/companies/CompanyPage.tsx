import { Alert, Anchor, Badge, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { getCompany } from '../../../api/crm-pipeline.js';
import { describeError } from '../../../app/errors.js';
import { orgPath } from '../../../app/paths.js';
import { useCurrentOrg } from '../../../shell/current-org.js';
import { stageLabel } from '../stage-names.js';

/** One company: its name and domain, and its people with their stage and score. */
export function CompanyPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const companyId = useParams().companyId ?? '';
  const detail = useQuery({ queryKey: ['org', org.id, 'companies', 'one', companyId], queryFn: () => getCompany(org.id, companyId), meta: { quiet: true } });
  const back = (
    <Anchor component={Link} to={orgPath(org.id, 'companies')} size="sm">
      {t('companies.back')}
    </Anchor>
  );
  if (detail.isPending) return <Loader size="sm" />;
  if (detail.isError) {
    return (
      <Stack gap="sm">
        {back}
        <Alert color="red" variant="light">
          {describeError(detail.error)}
        </Alert>
      </Stack>
    );
  }
  const { company, people } = detail.data;
  return (
    <Stack gap="md" data-testid="page-company" data-company-id={company.id}>
      {back}
      <Title order={2}>{company.name}</Title>
      {company.domain && <Text c="dimmed">{company.domain}</Text>}
      <Paper withBorder radius="md" p="md" data-testid="company-people">
        <Title order={5} mb="xs">
          {t('companies.people')}
        </Title>
        {people.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('companies.noPeople')}
          </Text>
        ) : (
          <Table>
            <Table.Tbody>
              {people.map((person) => (
                <Table.Tr key={person.id} data-testid="company-person">
                  <Table.Td>
                    <Anchor component={Link} to={orgPath(org.id, `contacts/${encodeURIComponent(person.id)}`)}>
                      {person.displayName}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{person.email ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{stageLabel(person.stage, t)}</Badge>
                  </Table.Td>
                  <Table.Td>{t('pipeline.score', { score: person.score })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
