import { useEffect, useState } from 'react';
import { Button, Checkbox, Divider, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { del, get, post, put } from '../api/client';
import { useChange, useProject, useRole } from '../api/hooks';
import { Permission } from '../api/types';
import { useProjectId } from '../components/Shell';
import { gate } from '../components/QueryGate';

export function SettingsPage() {
  const projectId = useProjectId();
  const project = useProject(projectId);
  const role = useRole(projectId);
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [alert, setAlert] = useState(false);
  const [chat, setChat] = useState('');
  const [max, setMax] = useState(0);
  const [retentionDays, setRetentionDays] = useState(0);
  const [keepPerTemplate, setKeepPerTemplate] = useState(0);
  const [confirmDelete, setConfirmDelete] = useState('');
  useEffect(() => {
    if (project.data) {
      setName(project.data.name);
      setAlert(project.data.alert);
      setChat(project.data.alert_chat ?? '');
      setMax(project.data.max_parallel_tasks);
      setRetentionDays(project.data.task_retention_days ?? 0);
      setKeepPerTemplate(project.data.max_tasks_per_template ?? 0);
    }
  }, [project.data]);
  const save = useChange(() => put(`/project/${projectId}`, { id: projectId, name, alert, alert_chat: chat, max_parallel_tasks: max, task_retention_days: retentionDays, max_tasks_per_template: keepPerTemplate }), {
    invalidate: [['project', projectId], ['projects']],
    success: 'Settings saved',
  });
  const test = useChange(() => post(`/project/${projectId}/notifications/test`), { invalidate: [], success: 'Test notification sent' });
  const leave = useChange(() => del(`/project/${projectId}/me`), { invalidate: [['projects']], success: 'You left the project', onSuccess: () => navigate('/') });
  const remove = useChange(() => del(`/project/${projectId}`), { invalidate: [['projects']], success: 'Project deleted', onSuccess: () => navigate('/') });
  if (!project.data) {
    return gate(project, 'the settings');
  }
  const canEdit = ((role.data?.permissions ?? 0) & Permission.updateProject) !== 0;
  return (
    <Stack maw={560}>
      <Title order={2}>Settings</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(undefined);
        }}
      >
        <Stack>
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} disabled={!canEdit} />
          <NumberInput label="Max parallel tasks (0 = no limit)" min={0} value={max} onChange={(v) => setMax(Number(v) || 0)} disabled={!canEdit} />
          <NumberInput
            label="Delete finished tasks after (days)"
            description="With their output. 0: the server's setting (task_retention_days)."
            min={0}
            value={retentionDays}
            onChange={(v) => setRetentionDays(Number(v) || 0)}
            disabled={!canEdit}
          />
          <NumberInput
            label="Finished tasks kept per template"
            description="The newest ones; older ones are deleted. 0: the server's setting (max_tasks_per_template)."
            min={0}
            value={keepPerTemplate}
            onChange={(v) => setKeepPerTemplate(Number(v) || 0)}
            disabled={!canEdit}
          />
          <Checkbox label="Alerts (e-mail and chat when tasks end)" checked={alert} onChange={(e) => setAlert(e.currentTarget.checked)} disabled={!canEdit} />
          <TextInput label="Telegram chat for alerts (optional)" value={chat} onChange={(e) => setChat(e.currentTarget.value)} disabled={!canEdit} />
          {canEdit && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
              <Button variant="default" onClick={() => test.mutate(undefined)} loading={test.isPending}>
                Send a test notification
              </Button>
            </Group>
          )}
        </Stack>
      </form>
      {canEdit && (
        <Group>
          <Button variant="default" onClick={() => downloadBackup(project.data.id, project.data.name)}>
            Download a backup
          </Button>
          <Text size="xs" c="dimmed">
            Upstream's format, without secrets; restore it from New project.
          </Text>
        </Group>
      )}
      <Divider my="md" />
      <Group>
        <Button variant="default" color="red" onClick={() => leave.mutate(undefined)}>
          Leave this project
        </Button>
      </Group>
      {canEdit && (
        <Stack gap="xs">
          <Text size="sm">
            Deleting the project removes its templates, tasks, keys and everything else in it. Type its name to confirm.
          </Text>
          <Group>
            <TextInput aria-label="Type the project name to confirm" value={confirmDelete} onChange={(e) => setConfirmDelete(e.currentTarget.value)} placeholder={project.data.name} />
            <Button color="red" disabled={confirmDelete !== project.data.name} onClick={() => remove.mutate(undefined)}>
              Delete project
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}

/** Saves the project's backup (upstream's JSON) as a file. */
async function downloadBackup(projectId: number, name: string) {
  const backup = await get<unknown>(`/project/${projectId}/backup`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([JSON.stringify(backup, null, 2)], { type: 'application/json' }));
  link.download = `${name.replace(/[^A-Za-z0-9._-]+/g, '_')}.backup.json`;
  link.click();
  URL.revokeObjectURL(link.href);
}
