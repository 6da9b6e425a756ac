import { useDeferredValue, useMemo, useState } from 'react';
import { Anchor, Button, Group, Modal, Select, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useApps, useRole, useTemplates, useViews } from '../api/hooks';
import { Permission, type Template } from '../api/types';
import { useProjectId } from '../components/Shell';
import { StatusBadge } from '../components/StatusBadge';
import { RunDialog } from './RunDialog';
import { TemplateForm } from './TemplateForm';
import { ViewsEditor } from './ViewsEditor';
import { gate } from '../components/QueryGate';

const SHOWN = 200;

export function TemplatesPage() {
  const projectId = useProjectId();
  const { viewId } = useParams();
  const navigate = useNavigate();
  const templates = useTemplates(projectId);
  const views = useViews(projectId);
  const apps = useApps();
  const role = useRole(projectId);
  const [search, setSearch] = useState('');
  const [app, setApp] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [running, setRunning] = useState<Template | null>(null);
  const [more, setMore] = useState(false);
  const [editingViews, setEditingViews] = useState(false);
  const deferredSearch = useDeferredValue(search);
  const permissions = role.data?.permissions ?? 0;
  const canRun = (permissions & Permission.runTasks) !== 0;
  const canManage = (permissions & Permission.manageResources) !== 0;
  const allView = views.data?.find((v) => v.type === 'all');

  const filtered = useMemo(() => {
    const needle = deferredSearch.trim().toLowerCase();
    return (templates.data ?? []).filter(
      (t) =>
        (!viewId || String(allView?.id) === viewId || String(t.view_id) === viewId) &&
        (!app || t.app === app) &&
        (!needle || t.name.toLowerCase().includes(needle) || (t.description ?? '').toLowerCase().includes(needle)),
    );
  }, [templates.data, deferredSearch, app, viewId, allView]);

  if (!templates.data) {
    return gate(templates, 'templates');
  }
  const shown = more ? filtered : filtered.slice(0, SHOWN);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Task Templates</Title>
        {canManage && (
          <Group gap="xs">
            <Button variant="default" onClick={() => setEditingViews(true)}>
              Edit views
            </Button>
            <Button onClick={() => setCreating(true)}>New template</Button>
          </Group>
        )}
      </Group>
      {views.data && views.data.filter((v) => !v.hidden).length > 1 && (
        <Tabs value={viewId ?? 'all'} onChange={(v) => navigate(v === 'all' ? `/project/${projectId}/templates` : `/project/${projectId}/views/${v}/templates`)}>
          <Tabs.List>
            <Tabs.Tab value="all">All</Tabs.Tab>
            {[...views.data]
              .sort((a, b) => a.position - b.position)
              .filter((v) => !v.hidden && v.id !== allView?.id)
              .map((v) => (
                <Tabs.Tab key={v.id} value={String(v.id)}>
                  {v.title}
                </Tabs.Tab>
              ))}
          </Tabs.List>
        </Tabs>
      )}
      <Group>
        <TextInput placeholder="Search templates" aria-label="Search templates" value={search} onChange={(e) => setSearch(e.currentTarget.value)} w={260} />
        <Select
          placeholder="Every app"
          aria-label="Filter by app"
          data={(apps.data ?? []).map((a) => ({ value: a.id, label: a.title }))}
          value={app}
          onChange={setApp}
          clearable
          w={180}
        />
      </Group>
      {filtered.length === 0 ? (
        <Text c="dimmed">{templates.data.length === 0 ? 'No templates yet.' : 'No template matches.'}</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>App</Table.Th>
                <Table.Th>Last run</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((t) => (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/project/${projectId}/templates/${t.id}`}>
                      {t.name}
                    </Anchor>
                    {t.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {t.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t.app}</Table.Td>
                  <Table.Td>
                    {t.last_task ? (
                      <Group gap="xs">
                        <Anchor component={Link} to={`/project/${projectId}/templates/${t.id}?t=${t.last_task.id}`} size="sm">
                          #{t.last_task.id}
                        </Anchor>
                        <StatusBadge status={t.last_task.status} />
                      </Group>
                    ) : (
                      <Text size="sm" c="dimmed">
                        never
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canRun && (
                      <Button size="xs" onClick={() => setRunning(t)} aria-label={'Run ' + t.name}>
                        Run
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {!more && filtered.length > SHOWN && (
        <Button variant="subtle" onClick={() => setMore(true)}>
          Show all {filtered.length}
        </Button>
      )}
      <Modal opened={editingViews} onClose={() => setEditingViews(false)} title="Views">
        {editingViews && views.data && <ViewsEditor projectId={projectId} views={views.data} done={() => setEditingViews(false)} />}
      </Modal>
      <Modal opened={creating} onClose={() => setCreating(false)} title="New template" size="xl">
        {creating && <TemplateForm projectId={projectId} done={() => setCreating(false)} />}
      </Modal>
      <Modal opened={running != null} onClose={() => setRunning(null)} title={running ? 'Run ' + running.name : ''} size="lg">
        {running && <RunDialog projectId={projectId} templateId={running.id} done={() => setRunning(null)} />}
      </Modal>
    </Stack>
  );
}
