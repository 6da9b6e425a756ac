import { useState } from 'react';
import { Anchor, Button, Code, Group, Modal, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { api, get } from '../api/client';
import { useChange, useTemplates } from '../api/hooks';
import type { Integration, IntegrationDelivery, IntegrationMatcher, IntegrationValue } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { gate } from '../components/QueryGate';
import { useProjectId } from '../components/Shell';
import { when } from '../logic/time';
import { AUTH_METHODS, Aliases, IntegrationForm } from './Integrations';

/** One integration: its own aliases, matchers, extracted values, and what recent deliveries came to. */
export function IntegrationPage() {
  const projectId = useProjectId();
  const id = Number(useParams().integrationId);
  const base = `/project/${projectId}/integrations/${id}`;
  const [editing, setEditing] = useState(false);
  const integration = useQuery({ queryKey: ['project', projectId, 'integrations', id], queryFn: () => get<Integration>(base) });
  const templates = useTemplates(projectId);
  if (!integration.data) {
    return gate(integration, 'the integration');
  }
  const i = integration.data;
  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>{i.name}</Title>
          <Text size="sm" c="dimmed">
            runs{' '}
            <Anchor component={Link} to={`/project/${projectId}/templates/${i.template_id}`}>
              {templates.data?.find((t) => t.id === i.template_id)?.name ?? 'template #' + i.template_id}
            </Anchor>{' '}
            · {AUTH_METHODS.find((m) => m.value === i.auth_method)?.label}
          </Text>
        </div>
        <Button variant="default" onClick={() => setEditing(true)}>
          Edit
        </Button>
      </Group>
      <Aliases projectId={projectId} integrationId={id} title="Aliases" description="A delivery to one of these runs this integration without looking at its matchers." />
      <Matchers base={base} projectId={projectId} integrationId={id} />
      <Values base={base} projectId={projectId} integrationId={id} />
      <Deliveries base={base} projectId={projectId} integrationId={id} templateId={i.template_id} />
      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit integration" size="lg">
        {editing && <IntegrationForm projectId={projectId} integration={i} done={() => setEditing(false)} />}
      </Modal>
    </Stack>
  );
}

type Part = { base: string; projectId: number; integrationId: number };

function Matchers({ base, projectId, integrationId }: Part) {
  const queryKey = ['project', projectId, 'integrations', integrationId, 'matchers'];
  const matchers = useQuery({ queryKey, queryFn: () => get<IntegrationMatcher[]>(base + '/matchers') });
  const remove = useChange((m: IntegrationMatcher) => api('DELETE', `${base}/matchers/${m.id}`), { invalidate: [queryKey] });
  const [adding, setAdding] = useState(false);
  const [type, setType] = useState<string>('body');
  const [method, setMethod] = useState<string>('equals');
  const [data, setData] = useState<string>('json');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const save = useChange(
    (body: unknown) => api('POST', base + '/matchers', body),
    { invalidate: [queryKey], success: 'Matcher added', onSuccess: () => setAdding(false) },
  );
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Matchers</Title>
        <Button size="xs" variant="light" onClick={() => setAdding(true)}>
          New matcher
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Through a project alias, a delivery runs this integration only when every matcher matches.
      </Text>
      <Table>
        <Table.Tbody>
          {(matchers.data ?? []).map((m) => (
            <Table.Tr key={m.id}>
              <Table.Td>
                {m.match_type === 'header' ? `header ${m.key}` : m.body_data_type === 'json' ? <Code>{m.key}</Code> : 'the body'} {m.method}{' '}
                <Code>{m.value}</Code>
              </Table.Td>
              <Table.Td align="right">
                <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(m)}>
                  Delete
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={adding} onClose={() => setAdding(false)} title="New matcher">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ match_type: type, method, body_data_type: type === 'body' ? data : undefined, key, value });
          }}
        >
          <Stack>
            <Select label="Look at" data={[{ value: 'body', label: 'the body' }, { value: 'header', label: 'a header' }]} value={type} onChange={(v) => setType(v ?? 'body')} allowDeselect={false} />
            {type === 'body' && (
              <Select label="Body as" data={[{ value: 'json', label: 'JSON (a path)' }, { value: 'string', label: 'text (all of it)' }]} value={data} onChange={(v) => setData(v ?? 'json')} allowDeselect={false} />
            )}
            {(type === 'header' || data === 'json') && (
              <TextInput label={type === 'header' ? 'Header' : 'JSON path'} description={type === 'header' ? undefined : 'such as ref or commits.0.id'} required value={key} onChange={(e) => setKey(e.currentTarget.value)} />
            )}
            <Select label="Compare" data={['equals', 'unequals', 'contains']} value={method} onChange={(v) => setMethod(v ?? 'equals')} allowDeselect={false} />
            <TextInput label="Value" value={value} onChange={(e) => setValue(e.currentTarget.value)} />
          </Stack>
          <FormButtons busy={save.isPending} onCancel={() => setAdding(false)} />
        </form>
      </Modal>
    </Stack>
  );
}

function Values({ base, projectId, integrationId }: Part) {
  const queryKey = ['project', projectId, 'integrations', integrationId, 'values'];
  const values = useQuery({ queryKey, queryFn: () => get<IntegrationValue[]>(base + '/values') });
  const remove = useChange((v: IntegrationValue) => api('DELETE', `${base}/values/${v.id}`), { invalidate: [queryKey] });
  const [adding, setAdding] = useState(false);
  const [source, setSource] = useState<string>('body');
  const [data, setData] = useState<string>('json');
  const [key, setKey] = useState('');
  const [variable, setVariable] = useState('');
  const [type, setType] = useState<string>('environment');
  const save = useChange(
    (body: unknown) => api('POST', base + '/values', body),
    { invalidate: [queryKey], success: 'Value added', onSuccess: () => setAdding(false) },
  );
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>Extracted values</Title>
        <Button size="xs" variant="light" onClick={() => setAdding(true)}>
          New value
        </Button>
      </Group>
      <Table>
        <Table.Tbody>
          {(values.data ?? []).map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td>
                <Code>{v.variable}</Code> ({v.variable_type === 'task' ? 'task param' : 'variable'}) ←{' '}
                {v.value_source === 'header' ? `header ${v.key}` : v.body_data_type === 'json' ? <Code>{v.key}</Code> : 'the body'}
              </Table.Td>
              <Table.Td align="right">
                <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(v)}>
                  Delete
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal opened={adding} onClose={() => setAdding(false)} title="New extracted value">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate({ value_source: source, body_data_type: source === 'body' ? data : undefined, key, variable, variable_type: type });
          }}
        >
          <Stack>
            <Select label="Take from" data={[{ value: 'body', label: 'the body' }, { value: 'header', label: 'a header' }]} value={source} onChange={(v) => setSource(v ?? 'body')} allowDeselect={false} />
            {source === 'body' && (
              <Select label="Body as" data={[{ value: 'json', label: 'JSON (a path)' }, { value: 'string', label: 'text (all of it)' }]} value={data} onChange={(v) => setData(v ?? 'json')} allowDeselect={false} />
            )}
            {(source === 'header' || data === 'json') && (
              <TextInput label={source === 'header' ? 'Header' : 'JSON path'} required value={key} onChange={(e) => setKey(e.currentTarget.value)} />
            )}
            <TextInput label="Variable" required value={variable} onChange={(e) => setVariable(e.currentTarget.value)} />
            <Select label="Into" data={[{ value: 'environment', label: "the task's variables" }, { value: 'task', label: 'a task param' }]} value={type} onChange={(v) => setType(v ?? 'environment')} allowDeselect={false} />
          </Stack>
          <FormButtons busy={save.isPending} onCancel={() => setAdding(false)} />
        </form>
      </Modal>
    </Stack>
  );
}

function Deliveries({ base, projectId, integrationId, templateId }: Part & { templateId: number }) {
  const deliveries = useQuery({
    queryKey: ['project', projectId, 'integrations', integrationId, 'deliveries'],
    queryFn: () => get<IntegrationDelivery[]>(base + '/deliveries?limit=50'),
    refetchInterval: 3000,
  });
  return (
    <Stack gap="xs">
      <Title order={4}>Recent deliveries</Title>
      {(deliveries.data ?? []).length === 0 ? (
        <Text size="sm" c="dimmed">
          None yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Received</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Body</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(deliveries.data ?? []).map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>
                    {when(d.received)} · {d.method}
                  </Table.Td>
                  <Table.Td>
                    {d.task_id ? (
                      <Anchor component={Link} to={`/project/${projectId}/templates/${templateId}?t=${d.task_id}`}>
                        {d.outcome}
                      </Anchor>
                    ) : (
                      d.outcome
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" lineClamp={2}>
                      {d.body}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
