import { Alert, Anchor, Button, EmptyState, Grid, Loader, Paper, Stack, ThemeIcon } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../app/errors.js';
import { orgPath } from '../../app/paths.js';
import { ContactsIcon } from '../../components/icons.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { useContact } from './contact-queries.js';
import { ContactHeader } from './ContactHeader.js';
import { ContactIdentities } from './ContactIdentities.js';
import { ContactNotes } from './ContactNotes.js';
import { ContactTimeline } from './ContactTimeline.js';
import { ContactPipeline } from './pipeline/ContactPipeline.js';
import { ContactTasks } from './tasks/ContactTasks.js';

/** One contact: who they are and where, the team's notes, and everything stored from them. */
export function ContactPage() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const contactId = useParams().contactId ?? '';
  const detail = useContact(org.id, contactId);
  const back = (
    <Anchor component={Link} to={orgPath(org.id, 'contacts')} size="sm" data-testid="contact-back">
      {t('contacts.back')}
    </Anchor>
  );
  if (detail.isPending) return <Loader size="sm" />;
  if (detail.isError) {
    if (detail.error instanceof ApiError && detail.error.status === 404) return <ContactNotFound />;
    return (
      <Stack gap="sm">
        {back}
        <Alert color="red" variant="light" title={t('contacts.loadFailed')}>
          {describeError(detail.error)}
        </Alert>
      </Stack>
    );
  }
  const { contact, notes } = detail.data;
  return (
    <Stack gap="md" data-testid="page-contact" data-contact-id={contact.id}>
      {back}
      <ContactHeader contact={contact} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <ContactPipeline contactId={contact.id} />
            <ContactTasks contactId={contact.id} />
            <ContactIdentities contact={contact} />
            <ContactNotes contactId={contact.id} notes={notes} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <ContactTimeline contactId={contact.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** A deleted or merged-away contact, or a link from another org: said plainly, with the way back. */
function ContactNotFound() {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  return (
    <Paper withBorder radius="md" py="xl" data-testid="contact-not-found">
      <EmptyState
        icon={
          <ThemeIcon variant="light" color="gray" size={48} radius="xl">
            <ContactsIcon size={26} />
          </ThemeIcon>
        }
        title={t('contacts.notFoundTitle')}
        description={t('contacts.notFoundBody')}
      >
        <EmptyState.Actions>
          <Button component={Link} to={orgPath(org.id, 'contacts')} size="xs" variant="default">
            {t('contacts.back')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Paper>
  );
}
