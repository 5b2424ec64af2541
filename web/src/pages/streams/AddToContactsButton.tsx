import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { contactFromItem } from '../../api/contacts.js';
import { contactPath } from '../../app/paths.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { contactsKey } from '../crm/contact-queries.js';
import { refreshContactColumns } from './stream-queries.js';

/** Saves the item's author as a contact (or finds the one they already are) and offers to open it. */
export function AddToContactsButton({ itemId }: { itemId: string }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const client = useQueryClient();
  const navigate = useNavigate();
  const add = useMutation({
    mutationFn: () => contactFromItem(org.id, itemId),
    onSuccess: async ({ contact, created }) => {
      const id = `contact-from-item-${itemId}`;
      // The notifications live outside the router: the button navigates with this page's navigate.
      const open = () => {
        notifications.hide(id);
        void navigate(contactPath(org.id, contact.id));
      };
      notifications.show({
        id,
        color: 'teal',
        autoClose: 8000,
        message: (
          <span data-testid="contact-added" data-created={String(created)}>
            {t(created ? 'streams.item.addedContact' : 'streams.item.alreadyContact', { name: contact.displayName })}{' '}
            <Button size="compact-xs" variant="light" ml={4} onClick={open} data-testid="contact-added-open">
              {t('streams.item.openContact')}
            </Button>
          </span>
        ),
      });
      // Every card by this author turns into a link to the contact (their list of authors is read again).
      await Promise.all([client.invalidateQueries({ queryKey: contactsKey(org.id) }), created ? refreshContactColumns(client, org.id) : undefined]);
    },
  });
  return (
    <Button size="compact-xs" variant="subtle" color="gray" loading={add.isPending} onClick={() => add.mutate()} data-testid="item-add-contact">
      {t('streams.item.addContact')}
    </Button>
  );
}
