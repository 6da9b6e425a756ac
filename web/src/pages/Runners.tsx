import { useState } from 'react';
import { Alert, Badge, Button, Code, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router-dom';
import { api, get, post } from '../api/client';
import { useChange } from '../api/hooks';
import type { Runner } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { when } from '../logic/time';

/**
 * Runners: the server's (admins, /runners) or a project's (/project/:id/runners). Each shows whether
 * it is online, what it runs, its version and last poll; a new one's token is shown once.
 */
export function RunnersPage() {
  const { projectId } = useParams();
  const base = projectId ? `/project/${projectId}` : '';
  const key = ['runners', projectId ?? 'server'];
  const runners = useQuery({ queryKey: key, queryFn: () => get<Runner[]>(`${base}/runners`), refetchInterval: 5000 });
  const [name, setName] = useState('');
  const [tag, setTag] = useState('');
  const [max, setMax] = useState<number | string>(1);
  const [made, setMade] = useState<{ token: string; private_key?: string } | null>(null);
  const add = useChange(
    () => post<Runner & { token: string; private_key?: string }>(`${base}/runners`, { name, tag, max_parallel_tasks: Number(max) || 0 }),
    { invalidate: [key], success: 'Runner added', onSuccess: (runner) => { setMade(runner); setName(''); } },
  );
  const toggle = useChange((r: Runner) => post(`${base}/runners/${r.id}/active`, { active: !r.active }), {
    invalidate: [key],
  });
  const clear = useChange((r: Runner) => api('DELETE', `${base}/runners/${r.id}/cache`), {
    invalidate: [key],
    success: 'The runner clears its cache at its next poll',
  });
  const remove = useChange((r: Runner) => api('DELETE', `${base}/runners/${r.id}`), { invalidate: [key], success: 'Runner removed' });
  return (
    <Stack>
      <Title order={2}>Runners</Title>
      <Text size="sm" c="dimmed">
        Tasks whose template names a runner tag run on a runner with that tag. A runner registers itself with the
        server's registration token (<Code>semaphore runner start --register</Code>), or takes the token of one
        added here.
      </Text>
      {runners.isError && <ErrorNotice error={runners.error} />}
      <Table striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Runner</Table.Th>
            <Table.Th>Tag</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Tasks</Table.Th>
            <Table.Th>Load</Table.Th>
            <Table.Th>Last poll</Table.Th>
            <Table.Th>Active</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(runners.data ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                {r.name || `#${r.id}`}{' '}
                {r.version && (
                  <Text span size="xs" c="dimmed">
                    {r.version}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{r.tag || '—'}</Table.Td>
              <Table.Td>
                <Badge color={r.online ? 'green' : 'gray'} variant="light">
                  {r.online ? 'online' : 'offline'}
                </Badge>
              </Table.Td>
              <Table.Td>
                {r.running_tasks} / {r.max_parallel_tasks > 0 ? r.max_parallel_tasks : '∞'}
              </Table.Td>
              <Table.Td>{r.system_load ?? '—'}</Table.Td>
              <Table.Td>{r.touched ? when(r.touched) : 'never'}</Table.Td>
              <Table.Td>
                <Switch
                  checked={r.active}
                  onChange={() => toggle.mutate(r)}
                  aria-label={(r.active ? 'Switch off ' : 'Switch on ') + (r.name || r.id)}
                />
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" variant="subtle" onClick={() => clear.mutate(r)}>
                    Clear cache
                  </Button>
                  <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(r)} aria-label={'Remove ' + (r.name || r.id)}>
                    Remove
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {runners.data?.length === 0 && <Text c="dimmed">No runner yet.</Text>}
      <Group align="flex-end">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} />
        <TextInput label="Tag" value={tag} onChange={(e) => setTag(e.currentTarget.value)} />
        <NumberInput label="Tasks at once" min={0} value={max} onChange={setMax} w={120} />
        <Button onClick={() => add.mutate(undefined)} loading={add.isPending}>
          Add runner
        </Button>
      </Group>
      {made && (
        <Alert title="The runner's token (shown this once)" withCloseButton onClose={() => setMade(null)}>
          <Code block>{made.token}</Code>
          <Text size="sm" mt="xs">
            Give it to the runner as <Code>runner.token</Code> (or <Code>SEMAPHORE_RUNNER_TOKEN</Code>).
          </Text>
          {made.private_key && (
            <>
              <Text size="sm" mt="sm">
                Its private key (the server keeps only the public half and encrypts the runner's jobs to it): save it in
                a file only the runner's user can read and name that file in <Code>runner.private_key_file</Code>.
              </Text>
              <Code block mt="xs">
                {made.private_key}
              </Code>
            </>
          )}
        </Alert>
      )}
    </Stack>
  );
}
