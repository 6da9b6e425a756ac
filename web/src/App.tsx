import { RunnersPage } from './pages/Runners';
import { lazy, Suspense, useEffect } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { Center, Loader } from '@mantine/core';
import { setUnauthorizedHandler } from './api/client';
import { useCurrentUser, useProjects } from './api/hooks';
import { Shell } from './components/Shell';
import { LoginPage } from './pages/Login';
import { ErrorNotice } from './components/ErrorNotice';
import { ErrorBoundary } from './components/ErrorBoundary';

// Pages load on first use, so signing in does not wait for the log viewer and every form.
const TemplatesPage = lazy(() => import('./pages/Templates').then((m) => ({ default: m.TemplatesPage })));
const TemplatePage = lazy(() => import('./pages/TemplatePage').then((m) => ({ default: m.TemplatePage })));
const HistoryPage = lazy(() => import('./pages/History').then((m) => ({ default: m.HistoryPage })));
const ActivityPage = lazy(() => import('./pages/Activity').then((m) => ({ default: m.ActivityPage })));
const KeysPage = lazy(() => import('./pages/Keys').then((m) => ({ default: m.KeysPage })));
const IntegrationsPage = lazy(() => import('./pages/Integrations').then((m) => ({ default: m.IntegrationsPage })));
const IntegrationPage = lazy(() => import('./pages/IntegrationPage').then((m) => ({ default: m.IntegrationPage })));
const AcceptInvitePage = lazy(() => import('./pages/Invitations').then((m) => ({ default: m.AcceptInvitePage })));
const AppsPage = lazy(() => import('./pages/AppsAdmin').then((m) => ({ default: m.AppsPage })));
const SchedulesPage = lazy(() => import('./pages/Schedules').then((m) => ({ default: m.SchedulesPage })));
const RepositoriesPage = lazy(() => import('./pages/Repositories').then((m) => ({ default: m.RepositoriesPage })));
const InventoriesPage = lazy(() => import('./pages/Inventories').then((m) => ({ default: m.InventoriesPage })));
const VariableGroupsPage = lazy(() => import('./pages/VariableGroups').then((m) => ({ default: m.VariableGroupsPage })));
const TeamPage = lazy(() => import('./pages/Team').then((m) => ({ default: m.TeamPage })));
const SettingsPage = lazy(() => import('./pages/Settings').then((m) => ({ default: m.SettingsPage })));
const NewProjectPage = lazy(() => import('./pages/NewProject').then((m) => ({ default: m.NewProjectPage })));
const UsersPage = lazy(() => import('./pages/Users').then((m) => ({ default: m.UsersPage })));
const AdminTasksPage = lazy(() => import('./pages/AdminTasks').then((m) => ({ default: m.AdminTasksPage })));
const ClusterPage = lazy(() => import('./pages/Cluster').then((m) => ({ default: m.ClusterPage })));
const AccountPage = lazy(() => import('./pages/Account').then((m) => ({ default: m.AccountPage })));

export function App() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!window.location.pathname.endsWith('/auth/login')) {
        navigate('/auth/login?next=' + encodeURIComponent(location.pathname + location.search));
      }
    });
  }, [navigate, location]);

  return (
    <Routes>
      <Route path="/auth/login" element={<LoginPage />} />
      <Route path="*" element={<SignedIn />} />
    </Routes>
  );
}

function SignedIn() {
  const user = useCurrentUser();
  const location = useLocation();
  if (user.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (user.isError || !user.data) {
    return <Navigate to={'/auth/login?next=' + encodeURIComponent(location.pathname + location.search)} replace />;
  }
  return (
    <Shell user={user.data}>
      <ErrorBoundary resetKey={location.pathname}>
      <Suspense fallback={<Loader aria-label="Loading the page" />}>
      <Routes>
        <Route path="/" element={<Home />} />
        <Route path="/project/new" element={<NewProjectPage />} />
        <Route path="/project/:projectId" element={<Navigate to="templates" replace />} />
        <Route path="/project/:projectId/templates" element={<TemplatesPage />} />
        <Route path="/project/:projectId/views/:viewId/templates" element={<TemplatesPage />} />
        <Route path="/project/:projectId/templates/:templateId" element={<TemplatePage />} />
        <Route path="/project/:projectId/history" element={<HistoryPage />} />
        <Route path="/project/:projectId/activity" element={<ActivityPage />} />
        <Route path="/project/:projectId/keys" element={<KeysPage />} />
        <Route path="/project/:projectId/repositories" element={<RepositoriesPage />} />
        <Route path="/project/:projectId/schedules" element={<SchedulesPage />} />
        <Route path="/project/:projectId/integrations" element={<IntegrationsPage />} />
        <Route path="/project/:projectId/integrations/:integrationId" element={<IntegrationPage />} />
        <Route path="/project/:projectId/inventory" element={<InventoriesPage />} />
        <Route path="/project/:projectId/environment" element={<VariableGroupsPage />} />
        <Route path="/project/:projectId/team" element={<TeamPage />} />
        <Route path="/project/:projectId/runners" element={<RunnersPage />} />
        <Route path="/project/:projectId/settings" element={<SettingsPage />} />
        <Route path="/accept-invite" element={<AcceptInvitePage />} />
        <Route path="/users" element={<UsersPage />} />
        <Route path="/tasks" element={<AdminTasksPage />} />
        <Route path="/apps" element={<AppsPage />} />
        <Route path="/runners" element={<RunnersPage />} />
        <Route path="/cluster" element={<ClusterPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="*" element={<ErrorNotice error={new Error('There is no page at ' + location.pathname)} />} />
      </Routes>
      </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}

/** Opens the last project used, else the first, else the page to create one. */
function Home() {
  const projects = useProjects();
  if (projects.isPending) {
    return <Loader aria-label="Loading projects" />;
  }
  if (projects.isError) {
    return <ErrorNotice error={projects.error} />;
  }
  const last = Number(localStorage.getItem('semaphore.project'));
  const target = projects.data.find((p) => p.id === last) ?? projects.data[0];
  return target ? <Navigate to={`/project/${target.id}/templates`} replace /> : <Navigate to="/project/new" replace />;
}
