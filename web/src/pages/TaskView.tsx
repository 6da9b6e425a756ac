import { useState } from 'react';
import { Anchor, Button, Code, Group, Loader, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { post } from '../api/client';
import { useChange, useRole, useTask } from '../api/hooks';
import { FINISHED, Permission, type Task } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { StatusBadge } from '../components/StatusBadge';
import { LogView } from '../log/LogView';
import { duration, startedBy, when } from '../logic/time';
import { RunDialog } from './RunDialog';
import { TaskDetails } from './TaskDetails';

/** One task: status, timing, who ran what, its live log, and what can be done to it. */
export function TaskView({ projectId, taskId }: { projectId: number; taskId: number }) {
  const task = useTask(projectId, taskId);
  const role = useRole(projectId);
  const [rerun, setRerun] = useState(false);
  const canRun = ((role.data?.permissions ?? 0) & Permission.runTasks) !== 0;
  const invalidate = [['project', projectId, 'tasks']];
  const stop = useChange((force: boolean) => post(`/project/${projectId}/tasks/${taskId}/stop`, { force }), {
    invalidate,
    success: 'Stop requested',
  });
  const decide = useChange((action: 'confirm' | 'reject') => post(`/project/${projectId}/tasks/${taskId}/${action}`), {
    invalidate,
    success: 'Done',
  });
  const t: Task | undefined = task.data;
  const finished = t ? FINISHED.includes(t.status) : false;
  return (
    <Stack>
      {task.isPending && <Loader aria-label="Loading the task" />}
      {task.isError && <ErrorNotice error={task.error} />}
      {t && (
        <>
          <Group justify="space-between" wrap="wrap">
            <Group>
              <Title order={3}>
                Task #{t.id}{' '}
                <Anchor component={Link} to={`/project/${projectId}/templates/${t.template_id}`}>
                  {t.tpl_alias}
                </Anchor>
              </Title>
              <StatusBadge status={t.status} />
            </Group>
            {canRun && (
              <Group gap="xs">
                {t.status === 'waiting_confirmation' && (
                  <>
                    <Button color="green" onClick={() => decide.mutate('confirm')} loading={decide.isPending}>
                      Confirm
                    </Button>
                    <Button color="red" variant="light" onClick={() => decide.mutate('reject')} loading={decide.isPending}>
                      Reject
                    </Button>
                  </>
                )}
                {!finished && t.status !== 'stopping' && (
                  <Button color="red" variant="light" onClick={() => stop.mutate(false)}>
                    Stop
                  </Button>
                )}
                {!finished && (
                  <Button color="red" variant="outline" onClick={() => stop.mutate(true)}>
                    Force stop
                  </Button>
                )}
                {finished && (
                  <Button variant="default" onClick={() => setRerun(true)}>
                    Re-run
                  </Button>
                )}
              </Group>
            )}
          </Group>
          {t.status === 'waiting' && t.waiting_reason && (
            <Text size="sm" c="orange" data-testid="waiting-reason">
              Waiting: {t.waiting_reason}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="xs">
            <Fact label="Started by" value={startedBy(t)} />
            <Fact label="Created" value={when(t.created)} />
            <Fact label="Duration" value={duration(t.start, t.end)} />
            <Fact label="Commit" value={t.commit_hash ? `${t.commit_hash.slice(0, 8)} ${t.commit_message ?? ''}` : ''} />
            {t.message && <Fact label="Message" value={t.message} />}
            {t.version && <Fact label="Version" value={t.version} />}
            {t.git_branch && <Fact label="Branch" value={t.git_branch} />}
            {t.runner_id != null && <Fact label="Runner" value={`#${t.runner_id}`} />}
            {t.arguments && <Fact label="Arguments" value={t.arguments} />}
            {t.params && Object.keys(t.params).length > 0 && (
              <Fact label="Parameters" value={<Code>{JSON.stringify(t.params)}</Code>} />
            )}
          </SimpleGrid>
          <TaskDetails projectId={projectId} taskId={t.id} finished={finished} />
        </>
      )}
      {/* Always in the same place, so it loads the log while the task's details load. */}
      <LogView projectId={projectId} taskId={taskId} running={!finished} />
      <Modal opened={rerun} onClose={() => setRerun(false)} title="Run again" size="lg">
        {rerun && t && <RunDialog projectId={projectId} templateId={t.template_id} previous={t} done={() => setRerun(false)} />}
      </Modal>
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div">
        {value || '—'}
      </Text>
    </div>
  );
}
