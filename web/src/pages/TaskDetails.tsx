import { Accordion, Badge, Group, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { Stage } from '../api/types';
import { duration } from '../logic/time';

interface HostRecap {
  host: string;
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

interface AnsibleError {
  host: string;
  task: string;
  error: string;
}

const STAGE_NAMES: Record<string, string> = {
  init: 'Preparing',
  terraform_plan: 'Plan',
  running: 'Running',
  print_result: 'Results',
};

/** A task's stages, and for Ansible the recap per host and the failures, as the server read them. */
export function TaskDetails({ projectId, taskId, finished }: { projectId: number; taskId: number; finished: boolean }) {
  const base = `/project/${projectId}/tasks/${taskId}`;
  const stages = useQuery({ queryKey: ['project', projectId, 'tasks', taskId, 'stages', finished], queryFn: () => get<Stage[]>(base + '/stages') });
  const hosts = useQuery({ queryKey: ['project', projectId, 'tasks', taskId, 'hosts', finished], queryFn: () => get<HostRecap[]>(base + '/ansible/hosts') });
  const errors = useQuery({ queryKey: ['project', projectId, 'tasks', taskId, 'errors', finished], queryFn: () => get<AnsibleError[]>(base + '/ansible/errors') });
  if (!stages.data || stages.data.length === 0) {
    return null;
  }
  return (
    <Accordion variant="contained" multiple defaultValue={hosts.data && hosts.data.length > 0 ? ['recap'] : []}>
      <Accordion.Item value="stages">
        <Accordion.Control>Stages</Accordion.Control>
        <Accordion.Panel>
          <Group gap="xs">
            {stages.data.map((s) => (
              <Badge key={s.id} variant="light" color={s.end ? 'gray' : 'blue'} title={`from line ${s.start_output_line}`}>
                {STAGE_NAMES[s.type] ?? s.type} {duration(s.start, s.end)}
              </Badge>
            ))}
          </Group>
        </Accordion.Panel>
      </Accordion.Item>
      {hosts.data && hosts.data.length > 0 && (
        <Accordion.Item value="recap">
          <Accordion.Control>Hosts ({hosts.data.length})</Accordion.Control>
          <Accordion.Panel>
            <Table.ScrollContainer minWidth={500}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    {['Host', 'ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'].map((h) => (
                      <Table.Th key={h}>{h}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {hosts.data.map((h) => (
                    <Table.Tr key={h.host}>
                      <Table.Td>{h.host}</Table.Td>
                      <Table.Td>{h.ok}</Table.Td>
                      <Table.Td>{h.changed}</Table.Td>
                      <Table.Td c={h.unreachable ? 'red' : undefined}>{h.unreachable}</Table.Td>
                      <Table.Td c={h.failed ? 'red' : undefined}>{h.failed}</Table.Td>
                      <Table.Td>{h.skipped}</Table.Td>
                      <Table.Td>{h.rescued}</Table.Td>
                      <Table.Td>{h.ignored}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Accordion.Panel>
        </Accordion.Item>
      )}
      {errors.data && errors.data.length > 0 && (
        <Accordion.Item value="errors">
          <Accordion.Control>Failures ({errors.data.length})</Accordion.Control>
          <Accordion.Panel>
            {errors.data.map((e, i) => (
              <Text key={i} size="sm">
                <b>{e.host}</b> in <i>{e.task}</i>: {e.error}
              </Text>
            ))}
          </Accordion.Panel>
        </Accordion.Item>
      )}
    </Accordion>
  );
}
