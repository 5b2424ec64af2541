import { CapabilityPage } from '../../components/CapabilityPage.js';
import { ContactsIcon } from '../../components/icons.js';

export const ContactsPage = () => <CapabilityPage page="contacts" icon={<ContactsIcon size={26} />} />;
