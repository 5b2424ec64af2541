import { Alert, Badge, Button, Divider, Group, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { acceptInvitation, previewInvitation, signUpFromInvitation } from '../../api/invitations.js';
import type { InvitationPreview } from '../../api/types.js';
import { describeError } from '../../app/errors.js';
import { orgPath } from '../../app/paths.js';
import { SESSION_KEY, useEnterApp, useSession } from '../../app/session.js';
import { useFormatDate } from '../../components/format.js';
import { PublicLayout } from '../../components/PublicLayout.js';
import { MIN_PASSWORD_LENGTH } from '../accounts/SetupPage.js';

/** What an invitation link at /invite/:token offers, and the way in: accept, or sign up. */
export function InvitationPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const session = useSession();
  const preview = useQuery({ queryKey: ['invitation', token], queryFn: () => previewInvitation(token), meta: { quiet: true } });

  if (preview.isPending || session.isPending) {
    return (
      <PublicLayout title={t('invitation.title')}>
        <Loader size="sm" />
      </PublicLayout>
    );
  }
  if (preview.error) {
    return (
      <PublicLayout title={t('invitation.title')}>
        <Alert color="red" title={t('invitation.invalidTitle')} data-testid="invitation-invalid">
          {describeError(preview.error)}
        </Alert>
        <Button component={Link} to="/" variant="default" mt="md">
          {t('common.goHome')}
        </Button>
      </PublicLayout>
    );
  }
  const invitation = preview.data.invitation;
  return (
    <PublicLayout title={t('invitation.joinTitle', { org: invitation.orgName })} subtitle={t('invitation.invitedBy', { name: invitation.invitedBy })}>
      <Stack gap="md">
        <InvitationSummary invitation={invitation} />
        <Divider />
        {session.data ? <AcceptAs token={token} name={session.data.user.name} /> : <SignUp token={token} suggestedEmail={invitation.email} />}
      </Stack>
    </PublicLayout>
  );
}

function InvitationSummary({ invitation }: { invitation: InvitationPreview }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <Stack gap={6} data-testid="invitation-summary">
      <Group gap="xs">
        <Text size="sm" c="dimmed" w={110}>
          {t('invitation.organization')}
        </Text>
        <Text size="sm" fw={600} data-testid="invitation-org">
          {invitation.orgName}
        </Text>
      </Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed" w={110}>
          {t('invitation.role')}
        </Text>
        <Badge variant="light" data-testid="invitation-role">
          {t(`roles.${invitation.role}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {t(`roleHints.${invitation.role}`)}
        </Text>
      </Group>
      <Group gap="xs">
        <Text size="sm" c="dimmed" w={110}>
          {t('invitation.expires')}
        </Text>
        <Text size="sm">{formatDate(invitation.expiresAt)}</Text>
      </Group>
    </Stack>
  );
}

function AcceptAs({ token, name }: { token: string; name: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const accept = useMutation({
    mutationFn: () => acceptInvitation(token),
    onSuccess: async ({ org }) => {
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      await navigate(orgPath(org.id, 'streams'));
    },
  });
  return (
    <Stack gap="sm">
      <Text size="sm">{t('invitation.signedInAs', { name })}</Text>
      <Button onClick={() => accept.mutate()} loading={accept.isPending} data-testid="accept-invitation">
        {t('invitation.accept')}
      </Button>
    </Stack>
  );
}

function SignUp({ token, suggestedEmail }: { token: string; suggestedEmail: string | null }) {
  const { t } = useTranslation();
  const enterApp = useEnterApp();
  const [form, setForm] = useState({ name: '', email: suggestedEmail ?? '', password: '' });
  const signUp = useMutation({
    mutationFn: () => signUpFromInvitation(token, form),
    onSuccess: (session) => enterApp(session, { newAccount: true }),
  });
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signUp.mutate();
  };
  return (
    <form onSubmit={submit} data-testid="invitation-signup-form">
      <Stack gap="sm">
        <Text size="sm" fw={600}>
          {t('invitation.createAccount')}
        </Text>
        <TextInput label={t('fields.name')} required autoComplete="name" {...field('name')} />
        <TextInput label={t('fields.email')} type="email" required autoComplete="email" {...field('email')} />
        <PasswordInput
          label={t('fields.password')}
          description={t('fields.passwordRule', { min: MIN_PASSWORD_LENGTH })}
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          {...field('password')}
        />
        <Button type="submit" loading={signUp.isPending}>
          {t('invitation.signUpAndJoin')}
        </Button>
        <Button component={Link} to={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} variant="subtle" size="xs" data-testid="have-account">
          {t('invitation.haveAccount')}
        </Button>
      </Stack>
    </form>
  );
}
