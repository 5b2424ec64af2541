import { Anchor, Group, Select, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.js';
import { CONTACT_NETWORKS, identityHolder, type ContactNetwork, type IdentityInput } from '../../api/contacts.js';
import { describeError } from '../../app/errors.js';
import { contactPath } from '../../app/paths.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { guessNetwork } from './identity-input.js';

/** A network and a handle (or a pasted profile URL), with the server's objection to them shown beside. */
export function IdentityFields({
  value,
  onChange,
  error,
  required = false,
}: {
  value: IdentityInput;
  onChange: (value: IdentityInput) => void;
  error: unknown;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const networks = CONTACT_NETWORKS.map((network) => ({ value: network, label: t(`networks.${network}`) }));
  const changeHandle = (handle: string) => onChange({ network: guessNetwork(handle) ?? value.network, handle });
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <Select
        label={t('contacts.identity.network')}
        data={networks}
        value={value.network}
        onChange={(network) => network && onChange({ ...value, network: network as ContactNetwork })}
        allowDeselect={false}
        leftSection={<NetworkIcon network={value.network} size={16} />}
        w={190}
        style={{ flex: 'none' }}
        data-testid="identity-network"
      />
      <TextInput
        label={t('contacts.identity.handle')}
        description={t('contacts.identity.handleHint')}
        placeholder="@alice.bsky.social"
        required={required}
        value={value.handle}
        onChange={(e) => changeHandle(e.currentTarget.value)}
        error={error ? <IdentityError error={error} /> : null}
        style={{ flex: 1 }}
        data-testid="identity-handle"
      />
    </Group>
  );
}

/** invalid_identity names what is wrong (the server's words); identity_taken links to the contact that has it. */
function IdentityError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const holder = identityHolder(error);
  const message =
    error instanceof ApiError && error.code === 'invalid_identity' ? t('contacts.identity.invalid', { reason: error.message }) : describeError(error);
  return (
    <Text component="span" size="xs" inherit data-testid="identity-error">
      {message}
      {holder && (
        <>
          {' '}
          <Anchor component={Link} to={contactPath(org.id, holder)} size="xs" inherit data-testid="identity-holder">
            {t('contacts.identity.openHolder')}
          </Anchor>
        </>
      )}
    </Text>
  );
}
