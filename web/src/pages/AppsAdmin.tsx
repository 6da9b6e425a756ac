import { useState } from 'react';
import { Button, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, get, post } from '../api/client';
import { useApps, useChange } from '../api/hooks';
import type { AppInfo } from '../api/types';

/** Admins: the apps templates may use (switch on or off, program and arguments) and the run-time options. */
export function AppsPage() {
  const apps = useApps();
  const toggle = useChange((a: AppInfo) => post(`/apps/${a.id}/active`, { active: !a.active }), {
    invalidate: [['apps']],
  });
  const [id, setId] = useState('');
  const [path, setPath] = useState('');
  const [args, setArgs] = useState('');
  const add = useChange(
    () => api('PUT', `/apps/${id}`, { active: true, title: id, path, args: args.split(' ').filter((a) => a) }),
    { invalidate: [['apps']], success: 'App saved', onSuccess: () => setId('') },
  );
  const remove = useChange((appId: string) => api('DELETE', `/apps/${appId}`), { invalidate: [['apps']] });
  return (
    <Stack>
      <Title order={2}>Apps</Title>
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>App</Table.Th>
            <Table.Th>Program</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(apps.data ?? []).map((a) => (
            <Table.Tr key={a.id}>
              <Table.Td>
                {a.title} <Text span size="xs" c="dimmed">({a.id})</Text>
              </Table.Td>
              <Table.Td>
                <code>{[a.path, ...(a.args ?? [])].filter((x) => x).join(' ')}</code>
              </Table.Td>
              <Table.Td>
                <Switch checked={a.active} onChange={() => toggle.mutate(a)} aria-label={(a.active ? 'Switch off ' : 'Switch on ') + a.id} />
              </Table.Td>
              <Table.Td>
                <Button size="xs" variant="subtle" onClick={() => remove.mutate(a.id)}>
                  Reset
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end">
        <TextInput label="App id" placeholder="ruby" value={id} onChange={(e) => setId(e.currentTarget.value)} />
        <TextInput label="Program" placeholder="ruby" value={path} onChange={(e) => setPath(e.currentTarget.value)} />
        <TextInput label="Arguments" placeholder="-w" value={args} onChange={(e) => setArgs(e.currentTarget.value)} />
        <Button disabled={!id || !path} onClick={() => add.mutate(undefined)} loading={add.isPending}>
          Add or change
        </Button>
      </Group>
      <Options />
    </Stack>
  );
}

function Options() {
  const options = useQuery({ queryKey: ['options'], queryFn: () => get<Record<string, string>>('/options') });
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const save = useChange(() => post('/options', { key, value }), {
    invalidate: [['options']],
    success: 'Option saved',
    onSuccess: () => setKey(''),
  });
  return (
    <Stack gap="xs">
      <Title order={4}>Options</Title>
      <Table>
        <Table.Tbody>
          {Object.entries(options.data ?? {}).map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td>
                <code>{k}</code>
              </Table.Td>
              <Table.Td>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Group align="flex-end">
        <TextInput label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
        <TextInput label="Value" value={value} onChange={(e) => setValue(e.currentTarget.value)} />
        <Button disabled={!key} onClick={() => save.mutate(undefined)} loading={save.isPending}>
          Set
        </Button>
      </Group>
    </Stack>
  );
}
