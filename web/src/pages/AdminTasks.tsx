import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { get } from '../api/client';
import { gate } from '../components/QueryGate';

interface QueuedTask {
  task_id: number;
  project_id: number;
  project_name: string;
  username: string | null;
  status: string;
  location: string;
}

/** Every unfinished task on the server, across projects. */
export function AdminTasksPage() {
  const tasks = useQuery({ queryKey: ['admin-tasks'], queryFn: () => get<QueuedTask[]>('/tasks'), refetchInterval: 3000 });
  if (!tasks.data) {
    return gate(tasks, 'tasks');
  }
  return (
    <Stack>
      <Title order={2}>Running and queued tasks</Title>
      {tasks.data.length === 0 ? (
        <Text c="dimmed">Nothing is running.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Task</Table.Th>
              <Table.Th>Project</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>By</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.map((t) => (
              <Table.Tr key={t.task_id}>
                <Table.Td>#{t.task_id}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/project/${t.project_id}/history`}>
                    {t.project_name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t.status}</Table.Td>
                <Table.Td>{t.username ?? 'Semaphore'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
