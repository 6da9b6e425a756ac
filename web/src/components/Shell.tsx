import { type ReactNode, useEffect, useState } from 'react';
import {
  ActionIcon,
  AppShell,
  Burger,
  Group,
  Menu,
  Modal,
  NavLink,
  ScrollArea,
  Select,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useLocation, useNavigate, useParams, matchPath } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { post } from '../api/client';
import { useProjects } from '../api/hooks';
import type { User } from '../api/types';
import { useLiveUpdates } from '../live';
import { SystemInfo } from './SystemInfo';

const PROJECT_LINKS: [string, string][] = [
  ['templates', 'Task Templates'],
  ['history', 'History'],
  ['schedules', 'Schedules'],
  ['integrations', 'Integrations'],
  ['activity', 'Activity'],
  ['inventory', 'Inventory'],
  ['environment', 'Variable Groups'],
  ['keys', 'Key Store'],
  ['repositories', 'Repositories'],
  ['runners', 'Runners'],
  ['team', 'Team'],
  ['settings', 'Settings'],
];

export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const [about, setAbout] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const match = matchPath('/project/:projectId/*', location.pathname);
  const projectId = match?.params.projectId && /^\d+$/.test(match.params.projectId) ? Number(match.params.projectId) : null;
  const projects = useProjects();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  useLiveUpdates();
  useEffect(() => {
    if (projectId != null) {
      localStorage.setItem('semaphore.project', String(projectId));
    }
  }, [projectId]);
  useEffect(close, [location.pathname, close]);

  const signOut = async () => {
    await post('/auth/logout').catch(() => undefined);
    client.clear();
    navigate('/auth/login');
  };

  return (
    <AppShell header={{ height: 52 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/" style={{ textDecoration: 'none', color: 'inherit' }}>
              <Title order={4}>Semaphore</Title>
            </Link>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Tooltip label={scheme === 'dark' ? 'Light theme' : 'Dark theme'}>
              <ActionIcon
                variant="subtle"
                aria-label={scheme === 'dark' ? 'Use the light theme' : 'Use the dark theme'}
                onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
              >
                {scheme === 'dark' ? '☀' : '☾'}
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end">
              <Menu.Target>
                <ActionIcon variant="subtle" size="lg" aria-label={'Account of ' + user.username} w="auto" px="xs">
                  <Text size="sm">{user.name || user.username}</Text>
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/account">
                  Account and API tokens
                </Menu.Item>
                {user.admin && <Menu.Item onClick={() => setAbout(true)}>About this server</Menu.Item>}
                <Menu.Item onClick={signOut}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section>
          <Select
            label="Project"
            placeholder="Choose a project"
            searchable
            nothingFoundMessage="No such project"
            data={(projects.data ?? []).map((p) => ({ value: String(p.id), label: p.name }))}
            value={projectId != null ? String(projectId) : null}
            onChange={(value) => value && navigate(`/project/${value}/templates`)}
            mb="xs"
          />
          <NavLink component={Link} to="/project/new" label="New project…" active={location.pathname === '/project/new'} />
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea} mt="sm">
          {projectId != null &&
            PROJECT_LINKS.map(([path, label]) => (
              <NavLink
                key={path}
                component={Link}
                to={`/project/${projectId}/${path}`}
                label={label}
                active={location.pathname.startsWith(`/project/${projectId}/${path}`)}
              />
            ))}
        </AppShell.Section>
        {user.admin && (
          <AppShell.Section>
            <Text size="xs" c="dimmed" mt="sm">
              Administration
            </Text>
            <NavLink component={Link} to="/users" label="Users" active={location.pathname === '/users'} />
            <NavLink component={Link} to="/tasks" label="Running tasks" active={location.pathname === '/tasks'} />
            <NavLink component={Link} to="/apps" label="Apps and options" active={location.pathname === '/apps'} />
            <NavLink component={Link} to="/runners" label="Runners" active={location.pathname === '/runners'} />
            <NavLink component={Link} to="/cluster" label="Server nodes" active={location.pathname === '/cluster'} />
          </AppShell.Section>
        )}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
      <Modal opened={about} onClose={() => setAbout(false)} title="About this server">
        {about && <SystemInfo />}
      </Modal>
    </AppShell>
  );
}

/** The project id of the current page's route. */
export function useProjectId(): number {
  const { projectId } = useParams();
  return Number(projectId);
}
