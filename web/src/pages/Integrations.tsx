import { useState } from 'react';
import { Anchor, Badge, Button, Checkbox, Code, CopyButton, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { api, get, post } from '../api/client';
import { useChange, useIntegrations, useKeys, useTemplates } from '../api/hooks';
import type { Integration, IntegrationAlias } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';

export const AUTH_METHODS = [
  { value: '', label: 'None' },
  { value: 'github', label: 'GitHub webhook (X-Hub-Signature-256)' },
  { value: 'bitbucket', label: 'Bitbucket webhook (X-Hub-Signature)' },
  { value: 'hmac', label: 'HMAC-SHA256 in a header' },
  { value: 'token', label: 'Token in a header' },
  { value: 'basic', label: 'HTTP basic' },
];

/** The project's integrations (incoming webhooks) and its project-wide aliases. */
export function IntegrationsPage() {
  const projectId = useProjectId();
  const integrations = useIntegrations(projectId);
  const templates = useTemplates(projectId);
  return (
    <Stack>
      <ResourcePage
        projectId={projectId}
        title="Integrations"
        resource="integrations"
        noun="integration"
        query={integrations}
        columns={[
          { title: 'Template', render: (i: Integration) => templates.data?.find((t) => t.id === i.template_id)?.name ?? '' },
          { title: 'Caller check', render: (i: Integration) => AUTH_METHODS.find((m) => m.value === i.auth_method)?.label ?? i.auth_method },
          { title: 'Project alias', render: (i: Integration) => (i.searchable ? <Badge variant="light">reached, if it matches</Badge> : '') },
          {
            title: 'Details',
            render: (i: Integration) => (
              <Anchor component={Link} to={`/project/${projectId}/integrations/${i.id}`} aria-label={'Open ' + i.name}>
                Matchers, values, deliveries
              </Anchor>
            ),
          },
        ]}
        form={(integration, done) => <IntegrationForm projectId={projectId} integration={integration} done={done} />}
      />
      <Aliases projectId={projectId} title="Project aliases" description="A delivery to a project alias reaches every integration marked for it whose matchers all match." />
    </Stack>
  );
}

export function IntegrationForm({ projectId, integration, done }: { projectId: number; integration?: Integration; done: () => void }) {
  const templates = useTemplates(projectId);
  const keys = useKeys(projectId);
  const [name, setName] = useState(integration?.name ?? '');
  const [template, setTemplate] = useState<string | null>(integration ? String(integration.template_id) : null);
  const [method, setMethod] = useState<string>(integration?.auth_method ?? '');
  const [key, setKey] = useState<string | null>(integration?.auth_secret_id ? String(integration.auth_secret_id) : null);
  const [header, setHeader] = useState(integration?.auth_header ?? '');
  const [searchable, setSearchable] = useState(integration?.searchable ?? false);
  const [message, setMessage] = useState(integration?.task_params?.message ?? '');
  const save = useChange(
    (body: unknown) =>
      integration
        ? api('PUT', `/project/${projectId}/integrations/${integration.id}`, body)
        : api('POST', `/project/${projectId}/integrations`, body),
    { invalidate: [['project', projectId, 'integrations']], success: 'Integration saved', onSuccess: done },
  );
  const keyOptions = (keys.data ?? [])
    .filter((k) => k.type === 'login_password' || k.type === 'string')
    .map((k) => ({ value: String(k.id), label: k.name }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          name,
          template_id: Number(template),
          auth_method: method,
          auth_secret_id: method ? Number(key) : null,
          auth_header: header,
          searchable,
          task_params: { ...(integration?.task_params ?? {}), message },
        });
      }}
    >
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Select label="Template" required searchable data={(templates.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))} value={template} onChange={setTemplate} />
        <Select label="Caller check" data={AUTH_METHODS} value={method} onChange={(v) => setMethod(v ?? '')} allowDeselect={false} />
        {method && (
          <Select label="Secret" description="A login/password key (its password) or a string key" required data={keyOptions} value={key} onChange={setKey} />
        )}
        {(method === 'token' || method === 'hmac') && (
          <TextInput label="Header" description="The request header carrying the token or signature" required value={header} onChange={(e) => setHeader(e.currentTarget.value)} />
        )}
        <Checkbox label="Reached through the project aliases (when its matchers match)" checked={searchable} onChange={(e) => setSearchable(e.currentTarget.checked)} />
        <TextInput label="Task message" value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

/** Aliases of the project ({@code integrationId} absent) or of one integration: URLs to copy, add, delete. */
export function Aliases({ projectId, integrationId, title, description }: { projectId: number; integrationId?: number; title: string; description: string }) {
  const path = `/project/${projectId}/integrations${integrationId ? '/' + integrationId : ''}/aliases`;
  const queryKey = ['project', projectId, 'integrations', 'aliases', integrationId ?? 'project'];
  const aliases = useQuery({ queryKey, queryFn: () => get<IntegrationAlias[]>(path) });
  const add = useChange(() => post(path, {}), { invalidate: [queryKey], success: 'Alias added' });
  const remove = useChange((id: number) => api('DELETE', `${path}/${id}`), { invalidate: [queryKey], success: 'Alias deleted' });
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Title order={4}>{title}</Title>
        <Button size="xs" variant="light" onClick={() => add.mutate(undefined)} loading={add.isPending}>
          New alias
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {description}
      </Text>
      {(aliases.data ?? []).length > 0 && (
        <Table>
          <Table.Tbody>
            {(aliases.data ?? []).map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Code data-testid="alias-url">{a.url}</Code>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <CopyButton value={a.url}>
                      {({ copied, copy }) => (
                        <Button size="xs" variant="default" onClick={copy}>
                          {copied ? 'Copied' : 'Copy URL'}
                        </Button>
                      )}
                    </CopyButton>
                    <Button size="xs" color="red" variant="light" onClick={() => remove.mutate(a.id)} aria-label={'Delete alias ' + a.alias}>
                      Delete
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
