import { useState } from 'react';
import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import { useMembers, useTemplates } from '../api/hooks';
import type { Task, TaskStatus } from '../api/types';
import { gate } from '../components/QueryGate';
import { useProjectId } from '../components/Shell';
import { TaskTable } from './TemplatePage';

const PAGE = 50;
const STATUSES: TaskStatus[] = ['waiting', 'running', 'waiting_confirmation', 'success', 'error', 'stopped'];

/** Every task of the project, newest first, filtered by status, template or user on the server, a page at a time. */
export function HistoryPage() {
  const projectId = useProjectId();
  const templates = useTemplates(projectId);
  const members = useMembers(projectId);
  const [status, setStatus] = useState<string | null>(null);
  const [template, setTemplate] = useState<string | null>(null);
  const [user, setUser] = useState<string | null>(null);
  const [page, setPage] = useState(0);
  const params = new URLSearchParams({ offset: String(page * PAGE), limit: String(PAGE + 1) });
  if (status) params.set('status', status);
  if (template) params.set('template_id', template);
  if (user) params.set('user_id', user);
  const tasks = useQuery({
    queryKey: ['project', projectId, 'tasks', 'history', params.toString()],
    queryFn: () => get<Task[]>(`/project/${projectId}/tasks?${params}`),
    placeholderData: keepPreviousData,
  });
  const filter = (set: (value: string | null) => void) => (value: string | null) => {
    set(value);
    setPage(0);
  };
  return (
    <Stack>
      <Title order={2}>History</Title>
      <Group>
        <Select placeholder="Any status" aria-label="Filter by status" data={STATUSES} value={status} onChange={filter(setStatus)} clearable w={200} />
        <Select
          placeholder="Any template"
          aria-label="Filter by template"
          data={(templates.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
          value={template}
          onChange={filter(setTemplate)}
          clearable
          searchable
          w={220}
        />
        <Select
          placeholder="Anyone"
          aria-label="Filter by user"
          data={(members.data ?? []).map((m) => ({ value: String(m.id), label: m.name || m.username }))}
          value={user}
          onChange={filter(setUser)}
          clearable
          searchable
          w={180}
        />
      </Group>
      {!tasks.data ? (
        gate(tasks, 'the history')
      ) : tasks.data.length === 0 ? (
        <Text c="dimmed">No tasks.</Text>
      ) : (
        <TaskTable projectId={projectId} tasks={tasks.data.slice(0, PAGE)} showTemplate />
      )}
      <Group>
        {page > 0 && (
          <Button variant="subtle" onClick={() => setPage(page - 1)}>
            Newer tasks
          </Button>
        )}
        {tasks.data && tasks.data.length > PAGE && (
          <Button variant="subtle" onClick={() => setPage(page + 1)}>
            Older tasks
          </Button>
        )}
      </Group>
    </Stack>
  );
}
