import { useState } from 'react';
import { Anchor, Button, Code, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { apiUrl, del, get, post } from '../api/client';
import { useChange, useKeys } from '../api/hooks';
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
              {v.task_id != null ? (
                <Anchor component={Link} to={`/project/${projectId}/templates/${templateId}?t=${v.task_id}`}>
                  #{v.task_id}
                </Anchor>
              ) : (
                <Text size="sm" c="dimmed">
                  a terraform through a state alias
                </Text>
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

interface StateAlias {
  id: number;
  alias: string;
  auth_key_id: number | null;
  url: string;
}

/**
 * A workspace's state aliases: addresses a person's own terraform keeps the state at (its http backend), opened
 * with the login and password of the alias' key.
 */
export function StateAliases({ projectId, inventoryId }: { projectId: number; inventoryId: number }) {
  const base = `/project/${projectId}/inventory/${inventoryId}/terraform/aliases`;
  const key = ['project', projectId, 'terraform', base];
  const aliases = useQuery({ queryKey: key, queryFn: () => get<StateAlias[]>(base) });
  const keys = useKeys(projectId);
  const [authKey, setAuthKey] = useState<string | null>(null);
  const add = useChange(() => post(base, { auth_key_id: authKey ? Number(authKey) : null }), { invalidate: [key], success: 'State alias added' });
  const remove = useChange((id: number) => del(`${base}/${id}`), { invalidate: [key], success: 'State alias deleted' });
  const logins = (keys.data ?? []).filter((k) => k.type === 'login_password').map((k) => ({ value: String(k.id), label: k.name }));
  return (
    <Stack gap="xs" mt="md">
      <Text fw={500} size="sm">
        State aliases for your own terraform
      </Text>
      {(aliases.data ?? []).map((a) => (
        <Group key={a.id} justify="space-between" wrap="nowrap">
          <Code>{a.url}</Code>
          <Text size="xs" c="dimmed">
            {a.auth_key_id != null ? `key: ${logins.find((l) => l.value === String(a.auth_key_id))?.label ?? a.auth_key_id}` : 'no key: opens nothing'}
          </Text>
          <Button size="xs" color="red" variant="light" onClick={() => window.confirm('Delete this state alias?') && remove.mutate(a.id)}>
            Delete
          </Button>
        </Group>
      ))}
      <Group align="flex-end">
        <Select label="Key (its login and password open the state)" data={logins} value={authKey} onChange={setAuthKey} w={320} />
        <Button size="xs" onClick={() => add.mutate(undefined)} loading={add.isPending}>
          Add state alias
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        In terraform: <Code>{'backend "http" { address = lock_address = unlock_address = <the alias URL>, username, password }'}</Code>
      </Text>
    </Stack>
  );
}
