import { useState } from 'react';
import { Anchor, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { get, post } from '../api/client';
import { useChange, useRole } from '../api/hooks';
import { FINISHED, Permission, type Schedule, type Task, type Template } from '../api/types';
import { DeleteDialog } from '../components/ResourcePage';
import { ErrorNotice } from '../components/ErrorNotice';
import { useProjectId } from '../components/Shell';
import { StatusBadge } from '../components/StatusBadge';
import { duration, startedBy, when } from '../logic/time';
import { RunDialog } from './RunDialog';
import { ScheduleList } from './Schedules';
import { TaskView } from './TaskView';
import { TemplateForm } from './TemplateForm';
import { StateAliases, TerraformStates } from './TerraformStates';
import { gate } from '../components/QueryGate';

/** A template, its runs, and (with ?t=<task>) one task opened over it, as upstream's alert links expect. */
export function TemplatePage() {
  const projectId = useProjectId();
  const templateId = Number(useParams().templateId);
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const openTask = params.get('t') ? Number(params.get('t')) : null;
  const [editing, setEditing] = useState<'edit' | 'copy' | null>(null);
  const [running, setRunning] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const role = useRole(projectId);
  const stopAll = useChange(() => post(`/project/${projectId}/templates/${templateId}/stop_all_tasks`, { force: false }), {
    invalidate: [['project', projectId, 'tasks']],
    success: 'Stop requested for every run',
  });
  const template = useQuery({
    queryKey: ['project', projectId, 'templates', templateId],
    queryFn: () => get<Template>(`/project/${projectId}/templates/${templateId}`),
  });
  const tasks = useQuery({
    queryKey: ['project', projectId, 'tasks', 'template', templateId],
    queryFn: () => get<Task[]>(`/project/${projectId}/templates/${templateId}/tasks/last?limit=100`),
  });
  if (!template.data) {
    return gate(template, 'the template');
  }
  const t = template.data;
  const permissions = role.data?.permissions ?? 0;
  const active = (tasks.data ?? []).filter((task) => !FINISHED.includes(task.status)).length;
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Title order={2}>{t.name}</Title>
          <Text c="dimmed" size="sm">
            {t.app} · {t.playbook}
            {t.description ? ' · ' + t.description : ''}
          </Text>
        </div>
        <Group gap="xs">
          {(permissions & Permission.runTasks) !== 0 && <Button onClick={() => setRunning(true)}>Run</Button>}
          {(permissions & Permission.manageResources) !== 0 && (
            <>
              {active > 0 && (
                <Button color="red" variant="outline" onClick={() => stopAll.mutate(undefined)} loading={stopAll.isPending}>
                  Stop all ({active})
                </Button>
              )}
              <Button variant="default" onClick={() => setEditing('edit')}>
                Edit
              </Button>
              <Button variant="default" onClick={() => setEditing('copy')}>
                Copy
              </Button>
              <Button variant="light" color="red" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </>
          )}
        </Group>
      </Group>
      {['terraform', 'tofu', 'terragrunt'].includes(t.app) && (permissions & Permission.manageResources) !== 0 && (
        <>
          <Title order={4}>Terraform state</Title>
          <TerraformStates projectId={projectId} templateId={t.id} inventoryId={t.inventory_id} />
          {t.inventory_id != null && <StateAliases projectId={projectId} inventoryId={t.inventory_id} />}
        </>
      )}
      <TemplateSchedules projectId={projectId} templateId={t.id} />
      <Title order={4}>Runs</Title>
      {tasks.isError && <ErrorNotice error={tasks.error} />}
      {tasks.data && tasks.data.length === 0 && <Text c="dimmed">Not run yet.</Text>}
      {tasks.data && tasks.data.length > 0 && <TaskTable projectId={projectId} tasks={tasks.data} />}
      <Modal opened={editing != null} onClose={() => setEditing(null)} title={editing === 'copy' ? 'Copy template' : 'Edit template'} size="xl">
        {editing && <TemplateForm projectId={projectId} template={t} copy={editing === 'copy'} done={() => setEditing(null)} />}
      </Modal>
      <Modal opened={running} onClose={() => setRunning(false)} title={'Run ' + t.name} size="lg">
        {running && <RunDialog projectId={projectId} templateId={t.id} done={() => setRunning(false)} />}
      </Modal>
      <Modal opened={openTask != null} onClose={() => setParams({})} size="90%" fullScreen={window.innerWidth < 700} title="Task">
        {openTask != null && <TaskView projectId={projectId} taskId={openTask} />}
      </Modal>
      {deleting && (
        <DeleteDialog
          projectId={projectId}
          path={`/project/${projectId}/templates/${t.id}`}
          name={t.name}
          noun="template"
          resource="templates"
          onClose={() => {
            setDeleting(false);
            get(`/project/${projectId}/templates/${t.id}`).catch(() => navigate(`/project/${projectId}/templates`));
          }}
        />
      )}
    </Stack>
  );
}

/** The template's schedules, listed and edited as on the Schedules page. */
function TemplateSchedules({ projectId, templateId }: { projectId: number; templateId: number }) {
  const schedules = useQuery({
    queryKey: ['project', projectId, 'schedules', 'template', templateId],
    queryFn: () => get<Schedule[]>(`/project/${projectId}/templates/${templateId}/schedules`),
  });
  return <ScheduleList projectId={projectId} templateId={templateId} query={schedules} title="Schedules" />;
}

/** Tasks with status, who, when and how long; a row opens the task. */
export function TaskTable({ projectId, tasks, showTemplate }: { projectId: number; tasks: Task[]; showTemplate?: boolean }) {
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Task</Table.Th>
            {showTemplate && <Table.Th>Template</Table.Th>}
            <Table.Th>Status</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Duration</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id}>
              <Table.Td>
                <Anchor component={Link} to={`/project/${projectId}/templates/${task.template_id}?t=${task.id}`}>
                  #{task.id}
                </Anchor>
                {task.message && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {task.message}
                  </Text>
                )}
              </Table.Td>
              {showTemplate && <Table.Td>{task.tpl_alias}</Table.Td>}
              <Table.Td>
                <StatusBadge status={task.status} />
              </Table.Td>
              <Table.Td>{startedBy(task)}</Table.Td>
              <Table.Td>{when(task.start ?? task.created)}</Table.Td>
              <Table.Td>{duration(task.start, task.end)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
