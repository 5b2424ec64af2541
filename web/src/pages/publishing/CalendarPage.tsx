import { CapabilityPage } from '../../components/CapabilityPage.js';
import { CalendarIcon } from '../../components/icons.js';

export const CalendarPage = () => <CapabilityPage page="calendar" icon={<CalendarIcon size={26} />} />;
