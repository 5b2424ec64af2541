import { Badge, Group, Loader, Paper, Table, Text, Title, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { endSession, endSessions, type SignedInSession } from '../../api/security.js';
import { notifySuccess } from '../../app/errors.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { useFormatDate } from '../../components/format.js';
import { SESSIONS_KEY, useSessions } from './security-queries.js';

/** "Chrome on Linux", or as much of it as the browser told. */
function useDeviceName(): (session: SignedInSession) => string {
  const { t } = useTranslation();
  return ({ browser, os }) =>
    browser && os ? t('sessions.device', { browser, os }) : browser ? browser : os ? t('sessions.unknownBrowserOn', { os }) : t('sessions.unknownDevice');
}

/** Leaving this browser's session signs it out: a full page load to sign-in, nothing of the account stays in memory. */
const toSignIn = () => window.location.assign('/login');

/** Settings → Security: where the account is signed in, and signing out there. */
export function SessionsSection() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sessions = useSessions();
  const formatDate = useFormatDate();
  const deviceName = useDeviceName();
  const endAll = useMutation({
    mutationFn: endSessions,
    onSuccess: async ({ ended }, scope) => {
      if (scope === 'everywhere') return toSignIn();
      notifySuccess(t('sessions.endedOthers', { count: ended }));
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });
  const others = (sessions.data ?? []).filter((s) => !s.current).length;
  return (
    <Paper withBorder radius="md" data-testid="sessions-section">
      <Group justify="space-between" p="md" pb="xs" wrap="nowrap" align="flex-start">
        <div>
          <Title order={4}>{t('sessions.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('sessions.intro')}
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <ConfirmButton
            variant="light"
            size="sm"
            question={t('sessions.endOthersQuestion')}
            confirmLabel={t('sessions.endOthers')}
            onConfirm={() => endAll.mutate('others')}
            loading={endAll.isPending}
            disabled={others === 0}
            data-testid="sessions-end-others"
          >
            {t('sessions.endOthers')}
          </ConfirmButton>
          <ConfirmButton
            variant="filled"
            size="sm"
            question={t('sessions.endEverywhereQuestion')}
            confirmLabel={t('sessions.endEverywhere')}
            onConfirm={() => endAll.mutate('everywhere')}
            loading={endAll.isPending}
            data-testid="sessions-end-everywhere"
          >
            {t('sessions.endEverywhere')}
          </ConfirmButton>
        </Group>
      </Group>
      {sessions.isPending ? (
        <Loader size="sm" m="md" />
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped verticalSpacing={6} data-testid="sessions-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('sessions.deviceColumn')}</Table.Th>
                <Table.Th>{t('sessions.address')}</Table.Th>
                <Table.Th>{t('sessions.signedIn')}</Table.Th>
                <Table.Th>{t('sessions.lastSeen')}</Table.Th>
                <Table.Th w={120} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(sessions.data ?? []).map((session) => (
                <Table.Tr key={session.id} data-testid="session-row" data-current={session.current}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Tooltip label={session.userAgent || t('sessions.noUserAgent')} multiline maw={420}>
                        <Text size="sm" fw={500}>
                          {deviceName(session)}
                        </Text>
                      </Tooltip>
                      {session.current && (
                        <Badge size="xs" variant="light" data-testid="this-browser">
                          {t('sessions.thisBrowser')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" ff="monospace">
                      {session.ip}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(session.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDate(session.lastSeenAt)}</Text>
                  </Table.Td>
                  <Table.Td ta="right">
                    <EndSession session={session} name={deviceName(session)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function EndSession({ session, name }: { session: SignedInSession; name: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: () => endSession(session.id),
    onSuccess: async () => {
      if (session.current) return toSignIn();
      notifySuccess(t('sessions.ended', { device: name }));
      await queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
    },
  });
  return (
    <ConfirmButton
      question={session.current ? t('sessions.endThisQuestion') : t('sessions.endQuestion', { device: name })}
      confirmLabel={t('sessions.end')}
      onConfirm={() => end.mutate()}
      loading={end.isPending}
      data-testid="session-end"
    >
      {t('sessions.end')}
    </ConfirmButton>
  );
}
