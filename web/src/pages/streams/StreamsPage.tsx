import { CapabilityPage } from '../../components/CapabilityPage.js';
import { StreamsIcon } from '../../components/icons.js';

export const StreamsPage = () => <CapabilityPage page="streams" icon={<StreamsIcon size={26} />} />;
