import { Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { LoginPage } from '../pages/accounts/LoginPage.js';
import { StreamsPage } from '../pages/streams/StreamsPage.js';
import { OrgShell } from '../shell/OrgShell.js';
import { Home } from './Home.js';
import { FullPageLoader, RequireSession } from './RequireSession.js';
import { lazyPage } from './lazy-page.js';
import { PageErrorBoundary } from './PageErrorBoundary.js';

// Every page but the board and sign-in is downloaded on first use (see lazyPage).
const ForgotPasswordPage = lazyPage(() => import('../pages/accounts/ForgotPasswordPage.js').then((page) => page.ForgotPasswordPage));
const ResetPasswordPage = lazyPage(() => import('../pages/accounts/ResetPasswordPage.js').then((page) => page.ResetPasswordPage));
const SetupPage = lazyPage(() => import('../pages/accounts/SetupPage.js').then((page) => page.SetupPage));
const AdminPage = lazyPage(() => import('../pages/admin/AdminPage.js').then((page) => page.AdminPage));
const AnalyticsPage = lazyPage(() => import('../pages/analytics/AnalyticsPage.js').then((page) => page.AnalyticsPage));
const CampaignPage = lazyPage(() => import('../pages/campaigns/CampaignPage.js').then((page) => page.CampaignPage));
const CampaignsPage = lazyPage(() => import('../pages/campaigns/CampaignsPage.js').then((page) => page.CampaignsPage));
const ContactPage = lazyPage(() => import('../pages/crm/ContactPage.js').then((page) => page.ContactPage));
const ContactsPage = lazyPage(() => import('../pages/crm/ContactsPage.js').then((page) => page.ContactsPage));
const FormsPage = lazyPage(() => import('../pages/forms/FormsPage.js').then((page) => page.FormsPage));
const CompaniesPage = lazyPage(() => import('../pages/crm/companies/CompaniesPage.js').then((page) => page.CompaniesPage));
const CompanyPage = lazyPage(() => import('../pages/crm/companies/CompanyPage.js').then((page) => page.CompanyPage));
const MyTasksPage = lazyPage(() => import('../pages/crm/tasks/MyTasksPage.js').then((page) => page.MyTasksPage));
const InboxPage = lazyPage(() => import('../pages/inbox/InboxPage.js').then((page) => page.InboxPage));
const CalendarPage = lazyPage(() => import('../pages/publishing/CalendarPage.js').then((page) => page.CalendarPage));
const PublishPage = lazyPage(() => import('../pages/publishing/PublishPage.js').then((page) => page.PublishPage));
const SettingsPage = lazyPage(() => import('../pages/settings/SettingsPage.js').then((page) => page.SettingsPage));
const TeamFeedPage = lazyPage(() => import('../pages/team-feed/TeamFeedPage.js').then((page) => page.TeamFeedPage));
const InvitationPage = lazyPage(() => import('../pages/teams/InvitationPage.js').then((page) => page.InvitationPage));
const WelcomePage = lazyPage(() => import('../pages/teams/WelcomePage.js').then((page) => page.WelcomePage));

/** Every page of the SPA; the org being worked in is always in the URL. */
export function App() {
  const { pathname } = useLocation();
  return (
    <PageErrorBoundary resetKey={pathname}>
      <Suspense fallback={<FullPageLoader />}>
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
      </Suspense>
    </PageErrorBoundary>
  );
}
