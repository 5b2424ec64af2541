import { CapabilityPage } from '../../components/CapabilityPage.js';
import { PublishIcon } from '../../components/icons.js';

export const PublishPage = () => <CapabilityPage page="publish" icon={<PublishIcon size={26} />} />;
