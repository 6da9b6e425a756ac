import { Badge, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { when } from '../logic/time';

interface ClusterNode {
  id: string;
  host: string;
  pid: number;
  version: string;
  address: string;
  started: string;
  last_heartbeat: string;
  alive: boolean;
  draining: boolean;
  running_tasks: number;
  system_load: number | null;
  this: boolean;
}

/** The server processes sharing this database: which are alive, their version and what they run. */
export function ClusterPage() {
  const cluster = useQuery({
    queryKey: ['cluster'],
    queryFn: () => get<{ ha_enabled: boolean; node_id: string; nodes: ClusterNode[] }>('/cluster'),
    refetchInterval: 5000,
  });
  return (
    <Stack>
      <Title order={2}>Server nodes</Title>
      <Text size="sm" c="dimmed">
        {cluster.data?.ha_enabled === false
          ? 'SQLite serves one server process. Several processes share a PostgreSQL or MySQL database, behind any load balancer.'
          : 'Every server process on this database beats every 5 s; one silent for 30 s is dead and its tasks end, naming it.'}
      </Text>
      {cluster.isError && <ErrorNotice error={cluster.error} />}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Node</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Tasks</Table.Th>
            <Table.Th>Load</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last heartbeat</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(cluster.data?.nodes ?? []).map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td>
                <Code>{n.host.split(' ')[0]}</Code> pid {n.pid} {n.this && <Badge variant="light">this one</Badge>}
              </Table.Td>
              <Table.Td>{n.address}</Table.Td>
              <Table.Td>{n.version}</Table.Td>
              <Table.Td>
                <Badge color={!n.alive ? 'red' : n.draining ? 'yellow' : 'teal'}>
                  {!n.alive ? 'dead' : n.draining ? 'stopping' : 'alive'}
                </Badge>
              </Table.Td>
              <Table.Td>{n.running_tasks}</Table.Td>
              <Table.Td>{n.system_load ?? ''}</Table.Td>
              <Table.Td>{when(n.started)}</Table.Td>
              <Table.Td>{when(n.last_heartbeat)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
