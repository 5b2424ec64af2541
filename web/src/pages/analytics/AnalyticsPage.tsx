import { CapabilityPage } from '../../components/CapabilityPage.js';
import { AnalyticsIcon } from '../../components/icons.js';

export const AnalyticsPage = () => <CapabilityPage page="analytics" icon={<AnalyticsIcon size={26} />} />;
