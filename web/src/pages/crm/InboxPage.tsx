import { CapabilityPage } from '../../components/CapabilityPage.js';
import { InboxIcon } from '../../components/icons.js';

export const InboxPage = () => <CapabilityPage page="inbox" icon={<InboxIcon size={26} />} />;
