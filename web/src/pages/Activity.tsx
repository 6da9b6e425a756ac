import { Stack, Table, Text, Title } from '@mantine/core';
import { useEvents } from '../api/hooks';
import { useProjectId } from '../components/Shell';
import { when } from '../logic/time';
import { gate } from '../components/QueryGate';

/** The project's event log: who changed what, newest first. */
export function ActivityPage() {
  const projectId = useProjectId();
  const events = useEvents(projectId);
  if (!events.data) {
    return gate(events, 'the activity');
  }
  return (
    <Stack>
      <Title order={2}>Activity</Title>
      {events.data.length === 0 ? (
        <Text c="dimmed">Nothing has happened yet.</Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>What</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.data.map((e, i) => (
                <Table.Tr key={i}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{when(e.created)}</Table.Td>
                  <Table.Td>{e.username ?? 'Semaphore'}</Table.Td>
                  <Table.Td>{e.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
