import { Navigate, Route, Routes } from 'react-router';
import { ForgotPasswordPage } from '../pages/accounts/ForgotPasswordPage.js';
import { LoginPage } from '../pages/accounts/LoginPage.js';
import { ResetPasswordPage } from '../pages/accounts/ResetPasswordPage.js';
import { SetupPage } from '../pages/accounts/SetupPage.js';
import { AdminPage } from '../pages/admin/AdminPage.js';
import { AnalyticsPage } from '../pages/analytics/AnalyticsPage.js';
import { CampaignPage } from '../pages/campaigns/CampaignPage.js';
import { CampaignsPage } from '../pages/campaigns/CampaignsPage.js';
import { ContactPage } from '../pages/crm/ContactPage.js';
import { ContactsPage } from '../pages/crm/ContactsPage.js';
import { FormsPage } from '../pages/forms/FormsPage.js';
import { CompaniesPage } from '../pages/crm/companies/CompaniesPage.js';
import { CompanyPage } from '../pages/crm/companies/CompanyPage.js';
import { MyTasksPage } from '../pages/crm/tasks/MyTasksPage.js';
import { InboxPage } from '../pages/inbox/InboxPage.js';
import { CalendarPage } from '../pages/publishing/CalendarPage.js';
import { PublishPage } from '../pages/publishing/PublishPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { StreamsPage } from '../pages/streams/StreamsPage.js';
import { TeamFeedPage } from '../pages/team-feed/TeamFeedPage.js';
import { InvitationPage } from '../pages/teams/InvitationPage.js';
import { WelcomePage } from '../pages/teams/WelcomePage.js';
import { OrgShell } from '../shell/OrgShell.js';
import { Home } from './Home.js';
import { RequireSession } from './RequireSession.js';

/** Every page of the SPA; the org being worked in is always in the URL. */
export function App() {
  return (
    <Routes>
      <Route path="/setup" element={<SetupPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/forgot-password" element={<ForgotPasswordPage />} />
      <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
      <Route path="/invite/:token" element={<InvitationPage />} />
      <Route path="/welcome" element={<RequireSession page={(session) => <WelcomePage session={session} />} />} />
      <Route path="/orgs/:orgId" element={<RequireSession page={(session) => <OrgShell session={session} />} />}>
        <Route index element={<Navigate to="streams" replace />} />
        <Route path="streams" element={<StreamsPage />} />
        <Route path="publish" element={<PublishPage />} />
        <Route path="calendar" element={<CalendarPage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="contacts" element={<ContactsPage />} />
        <Route path="contacts/:contactId" element={<ContactPage />} />
        <Route path="forms" element={<FormsPage />} />
        <Route path="companies" element={<CompaniesPage />} />
        <Route path="companies/:companyId" element={<CompanyPage />} />
        <Route path="tasks" element={<MyTasksPage />} />
        <Route path="campaigns" element={<CampaignsPage />} />
        <Route path="campaigns/:campaignId" element={<CampaignPage />} />
        <Route path="analytics" element={<AnalyticsPage />} />
        <Route path="team" element={<TeamFeedPage />} />
        <Route path="admin" element={<AdminPage />} />
        <Route path="settings/:tab?" element={<SettingsPage />} />
      </Route>
      <Route path="*" element={<Home />} />
    </Routes>
  );
}
