import { Anchor, Button, Group, Loader, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiUrl, del, get } from '../api/client';
import { useChange } from '../api/hooks';
import { when } from '../logic/time';

interface StateVersion {
  id: number;
  created: string;
  task_id: number | null;
}

/**
 * The Terraform state versions this server keeps for a template (of its workspace inventory when it
 * has one, else its own): when each was written, by which task; download or delete one.
 */
export function TerraformStates({ projectId, templateId, inventoryId }: { projectId: number; templateId: number; inventoryId: number | null }) {
  const base = inventoryId != null ? `/project/${projectId}/inventory/${inventoryId}/terraform/states` : `/project/${projectId}/templates/${templateId}/terraform/states`;
  const versions = useQuery({ queryKey: ['project', projectId, 'terraform', base], queryFn: () => get<StateVersion[]>(base) });
  const remove = useChange((id: number) => del(`${base}/${id}`), { invalidate: [['project', projectId, 'terraform', base]], success: 'State version deleted' });
  if (versions.isPending) {
    return <Loader size="sm" aria-label="Loading the state history" />;
  }
  if (versions.isError || versions.data.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No state kept here yet. Turn on “Keep the state on this server” to keep it between runs.
      </Text>
    );
  }
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Version</Table.Th>
          <Table.Th>Written</Table.Th>
          <Table.Th>By task</Table.Th>
          <Table.Th aria-label="Actions" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.data.map((v, i) => (
          <Table.Tr key={v.id}>
            <Table.Td>
              #{v.id}
              {i === 0 ? ' (current)' : ''}
            </Table.Td>
            <Table.Td>{when(v.created)}</Table.Td>
            <Table.Td>
              {v.task_id != null && (
                <Anchor component={Link} to={`/project/${projectId}/templates/${templateId}?t=${v.task_id}`}>
                  #{v.task_id}
                </Anchor>
              )}
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end">
                <Button size="xs" variant="default" component="a" href={apiUrl(`${base}/${v.id}`)} download={`terraform-state-${v.id}.json`}>
                  Download
                </Button>
                <Button size="xs" color="red" variant="light" onClick={() => window.confirm(`Delete state version #${v.id}?`) && remove.mutate(v.id)}>
                  Delete
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
