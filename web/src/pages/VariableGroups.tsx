import { useState } from 'react';
import { ActionIcon, Button, Group, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { api, errorText } from '../api/client';
import { useChange, useVariableGroups } from '../api/hooks';
import type { VariableGroup } from '../api/types';
import { CodeEditor } from '../components/CodeEditor';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';

export function VariableGroupsPage() {
  const projectId = useProjectId();
  const groups = useVariableGroups(projectId);
  return (
    <ResourcePage
      projectId={projectId}
      title="Variable Groups"
      resource="environment"
      noun="variable group"
      query={groups}
      columns={[{ title: 'Secrets', render: (g: VariableGroup) => g.secrets.map((s) => s.name).join(', ') }]}
      form={(group, done) => <GroupForm projectId={projectId} group={group} done={done} />}
    />
  );
}

interface SecretRow {
  id?: number;
  name: string;
  type: 'var' | 'env';
  secret: string;
  removed?: boolean;
}

function GroupForm({ projectId, group, done }: { projectId: number; group?: VariableGroup; done: () => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [json, setJson] = useState(group?.json ?? '{}');
  const [env, setEnv] = useState(group?.env ?? '{}');
  const [secrets, setSecrets] = useState<SecretRow[]>(group?.secrets.map((s) => ({ id: s.id, name: s.name, type: s.type, secret: '' })) ?? []);
  const save = useChange(
    (body: unknown) =>
      group ? api('PUT', `/project/${projectId}/environment/${group.id}`, body) : api('POST', `/project/${projectId}/environment`, body),
    { invalidate: [['project', projectId, 'environment']], success: 'Variable group saved', onSuccess: done },
  );
  const error = save.error ? errorText(save.error) : null;
  const update = (index: number, change: Partial<SecretRow>) =>
    setSecrets(secrets.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const changes = secrets.flatMap((row): Record<string, unknown>[] => {
          if (row.id == null) {
            return row.removed ? [] : [{ operation: 'create', name: row.name, type: row.type, secret: row.secret }];
          }
          if (row.removed) {
            return [{ operation: 'delete', id: row.id }];
          }
          return row.secret ? [{ operation: 'update', id: row.id, name: row.name, type: row.type, secret: row.secret }] : [];
        });
        save.mutate({ id: group?.id, project_id: projectId, name, json, env, secrets: changes });
      }}
    >
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <CodeEditor label="Extra variables (JSON)" language="json" value={json} onChange={setJson} minRows={3} error={error?.includes("'json'") ? error : null} />
        <CodeEditor label="Environment variables (JSON)" language="json" value={env} onChange={setEnv} minRows={3} error={error?.includes("'env'") ? error : null} />
        <Text fw={500} size="sm">
          Secrets (write-only: stored values are never shown)
        </Text>
        {secrets.map((row, index) =>
          row.removed ? null : (
            <Group key={row.id ?? 'new' + index} align="flex-end" wrap="nowrap">
              <TextInput label="Name" value={row.name} onChange={(e) => update(index, { name: e.currentTarget.value })} />
              <Select
                label="Kind"
                w={150}
                data={[
                  { value: 'var', label: 'Extra variable' },
                  { value: 'env', label: 'Environment' },
                ]}
                value={row.type}
                onChange={(v) => v && update(index, { type: v as 'var' | 'env' })}
                allowDeselect={false}
              />
              <PasswordInput
                label={row.id == null ? 'Value' : 'New value'}
                placeholder={row.id == null ? '' : 'unchanged'}
                value={row.secret}
                onChange={(e) => update(index, { secret: e.currentTarget.value })}
              />
              <ActionIcon variant="subtle" color="red" aria-label={'Remove secret ' + row.name} onClick={() => update(index, { removed: true })} mb={6}>
                ✕
              </ActionIcon>
            </Group>
          ),
        )}
        <Button variant="light" onClick={() => setSecrets([...secrets, { name: '', type: 'env', secret: '' }])}>
          Add secret
        </Button>
        {error && !error.includes("'json'") && !error.includes("'env'") && (
          <Text c="red" role="alert">
            {error}
          </Text>
        )}
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}
