import { useMemo, useState } from 'react';
import { Button, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useTasks } from '../api/hooks';
import type { TaskStatus } from '../api/types';
import { useProjectId } from '../components/Shell';
import { TaskTable } from './TemplatePage';
import { gate } from '../components/QueryGate';

const PAGE = 50;
const STATUSES: TaskStatus[] = ['waiting', 'running', 'waiting_confirmation', 'success', 'error', 'stopped'];

/** Every task of the project, newest first, filtered by status, template or user, a page at a time. */
export function HistoryPage() {
  const projectId = useProjectId();
  const tasks = useTasks(projectId);
  const [status, setStatus] = useState<string | null>(null);
  const [template, setTemplate] = useState<string | null>(null);
  const [user, setUser] = useState<string | null>(null);
  const [pages, setPages] = useState(1);
  const all = tasks.data ?? [];
  const filtered = useMemo(
    () =>
      all.filter(
        (t) => (!status || t.status === status) && (!template || String(t.template_id) === template) && (!user || (t.user_name ?? 'Semaphore') === user),
      ),
    [all, status, template, user],
  );
  if (!tasks.data) {
    return gate(tasks, 'the history');
  }
  const templates = [...new Map(all.map((t) => [String(t.template_id), t.tpl_alias])).entries()].map(([value, label]) => ({ value, label }));
  const users = [...new Set(all.map((t) => t.user_name ?? 'Semaphore'))];
  return (
    <Stack>
      <Title order={2}>History</Title>
      <Group>
        <Select placeholder="Any status" aria-label="Filter by status" data={STATUSES} value={status} onChange={setStatus} clearable w={200} />
        <Select placeholder="Any template" aria-label="Filter by template" data={templates} value={template} onChange={setTemplate} clearable searchable w={220} />
        <Select placeholder="Anyone" aria-label="Filter by user" data={users} value={user} onChange={setUser} clearable w={180} />
      </Group>
      {filtered.length === 0 ? <Text c="dimmed">No tasks.</Text> : <TaskTable projectId={projectId} tasks={filtered.slice(0, pages * PAGE)} showTemplate />}
      {filtered.length > pages * PAGE && (
        <Button variant="subtle" onClick={() => setPages(pages + 1)}>
          Older tasks
        </Button>
      )}
    </Stack>
  );
}
