import { useState } from 'react';
import { ActionIcon, Button, Checkbox, Group, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { api, errorText } from '../api/client';
import { useApps, useChange, useInventories, useKeys, useRepositories, useTemplates, useVariableGroups, useViews } from '../api/hooks';
import type { SurveyVar, Template } from '../api/types';
import { FormButtons } from '../components/FormButtons';

const TERRAFORM = ['terraform', 'tofu', 'terragrunt'];

/** Create, edit or copy a template; the fields follow the chosen app. */
export function TemplateForm({ projectId, template, copy, done }: { projectId: number; template?: Template; copy?: boolean; done: () => void }) {
  const apps = useApps();
  const repositories = useRepositories(projectId);
  const inventories = useInventories(projectId);
  const groups = useVariableGroups(projectId);
  const views = useViews(projectId);
  const keys = useKeys(projectId);
  const templates = useTemplates(projectId);
  const editing = template && !copy;
  const [form, setForm] = useState(() => ({
    name: template ? (copy ? template.name + ' (copy)' : template.name) : '',
    app: template?.app ?? 'ansible',
    playbook: template?.playbook ?? '',
    description: template?.description ?? '',
    repository_id: template ? String(template.repository_id) : null,
    inventory_id: template?.inventory_id != null ? String(template.inventory_id) : null,
    environment_ids: (template?.environment_ids ?? (template?.environment_id != null ? [template.environment_id] : [])).map(String),
    working_directory: template?.working_directory ?? '',
    suppress_error_alerts: template?.suppress_error_alerts ?? false,
    view_id: template?.view_id != null ? String(template.view_id) : null,
    git_branch: template?.git_branch ?? '',
    runner_tag: template?.runner_tag ?? '',
    arguments: template?.arguments ?? '',
    allow_override_args_in_task: template?.allow_override_args_in_task ?? false,
    allow_override_branch_in_task: template?.allow_override_branch_in_task ?? false,
    allow_parallel_tasks: template?.allow_parallel_tasks ?? false,
    suppress_success_alerts: template?.suppress_success_alerts ?? false,
    type: template?.type ?? '',
    start_version: template?.start_version ?? '',
    build_template_id: template?.build_template_id != null ? String(template.build_template_id) : null,
    autorun: template?.autorun ?? false,
  }));
  const [taskParams, setTaskParams] = useState<Record<string, unknown>>(template?.task_params ?? {});
  const [survey, setSurvey] = useState<SurveyVar[]>(template?.survey_vars ?? []);
  const [vaults, setVaults] = useState<Vault[]>(
    (template?.vaults ?? []).map((v) => ({ name: v.name ?? '', type: v.type === 'script' ? 'script' : 'password', vault_key_id: v.vault_key_id, script: v.script ?? '' })),
  );
  const save = useChange(
    (body: unknown) => (editing ? api('PUT', `/project/${projectId}/templates/${template!.id}`, body) : api('POST', `/project/${projectId}/templates`, body)),
    { invalidate: [['project', projectId, 'templates']], success: editing ? 'Template saved' : 'Template created', onSuccess: done },
  );
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm({ ...form, [key]: value });
  const options = <T extends { id: number; name: string }>(items?: T[]) => (items ?? []).map((i) => ({ value: String(i.id), label: i.name }));
  const ansible = form.app === 'ansible';
  const terraform = TERRAFORM.includes(form.app);
  const param = (name: string, label: string) => (
    <Checkbox key={name} label={label} checked={Boolean(taskParams[name])} onChange={(e) => setTaskParams({ ...taskParams, [name]: e.currentTarget.checked })} />
  );
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const id = (value: string | null) => (value ? Number(value) : null);
    save.mutate({
      ...form,
      id: editing ? template!.id : undefined,
      project_id: projectId,
      repository_id: id(form.repository_id),
      inventory_id: id(form.inventory_id),
      environment_ids: form.environment_ids.map(Number),
      working_directory: ansible && form.working_directory.trim() ? form.working_directory.trim() : null,
      view_id: id(form.view_id),
      build_template_id: form.type === 'deploy' ? id(form.build_template_id) : null,
      arguments: form.arguments.trim() || null,
      git_branch: form.git_branch.trim(),
      runner_tag: form.runner_tag.trim() || null,
      task_params: taskParams,
      survey_vars: survey,
      vaults: ansible
        ? vaults.map((v) => (v.type === 'script' ? { name: v.name, type: 'script', script: v.script } : { name: v.name, type: 'password', vault_key_id: v.vault_key_id }))
        : [],
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" required value={form.name} onChange={(e) => set('name', e.currentTarget.value)} data-autofocus />
          <Select
            label="App"
            data={(apps.data ?? [{ id: 'ansible', title: 'Ansible' }]).map((a) => ({ value: a.id, label: a.title }))}
            value={form.app}
            onChange={(v) => v && set('app', v)}
            allowDeselect={false}
          />
          <TextInput
            label={terraform ? 'Subdirectory (optional)' : ansible ? 'Playbook' : 'Script'}
            placeholder={ansible ? 'site.yml' : terraform ? '' : 'deploy.sh'}
            required={!terraform}
            value={form.playbook}
            onChange={(e) => set('playbook', e.currentTarget.value)}
          />
          <Select label="Repository" required data={options(repositories.data)} value={form.repository_id} onChange={(v) => set('repository_id', v)} />
          <Select
            label={terraform ? 'Workspace (inventory)' : 'Inventory'}
            data={options(inventories.data)}
            value={form.inventory_id}
            onChange={(v) => set('inventory_id', v)}
            clearable
          />
          <MultiSelect
            label="Variable groups"
            description="In this order: a later group's variables win"
            data={options(groups.data)}
            value={form.environment_ids}
            onChange={(v) => set('environment_ids', v)}
            clearable
          />
          <Select
            label="View"
            data={(views.data ?? []).filter((v) => v.type !== 'all').map((v) => ({ value: String(v.id), label: v.title }))}
            value={form.view_id}
            onChange={(v) => set('view_id', v)}
            clearable
          />
          <TextInput label="Branch (optional)" placeholder="the repository’s" value={form.git_branch} onChange={(e) => set('git_branch', e.currentTarget.value)} />
          <TextInput
            label="Runner tag (optional)"
            placeholder="this server"
            description="Run on a remote runner with this tag"
            value={form.runner_tag}
            onChange={(e) => set('runner_tag', e.currentTarget.value)}
          />
        </SimpleGrid>
        <Textarea label="Description" autosize minRows={1} value={form.description} onChange={(e) => set('description', e.currentTarget.value)} />
        <TextInput label="Arguments (JSON array)" placeholder='["--flag"]' value={form.arguments} onChange={(e) => set('arguments', e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
        <Group>
          <Checkbox label="Allow arguments in a task" checked={form.allow_override_args_in_task} onChange={(e) => set('allow_override_args_in_task', e.currentTarget.checked)} />
          <Checkbox label="Allow branch in a task" checked={form.allow_override_branch_in_task} onChange={(e) => set('allow_override_branch_in_task', e.currentTarget.checked)} />
          {param('allow_override_vars', 'Allow variables beyond the survey in a task')}
          {param('allow_override_playbook', 'Allow another playbook in a task')}
          <Checkbox label="Allow parallel runs" checked={form.allow_parallel_tasks} onChange={(e) => set('allow_parallel_tasks', e.currentTarget.checked)} />
          <Checkbox label="No alerts on success" checked={form.suppress_success_alerts} onChange={(e) => set('suppress_success_alerts', e.currentTarget.checked)} />
          <Checkbox label="No alerts on failure" checked={form.suppress_error_alerts} onChange={(e) => set('suppress_error_alerts', e.currentTarget.checked)} />
        </Group>
        {ansible && (
          <>
            <Group>
              {param('allow_override_limit', 'Allow limit')}
              {param('allow_override_tags', 'Allow tags')}
              {param('allow_override_skip_tags', 'Allow skip tags')}
              {param('allow_debug', 'Allow debug')}
              {param('allow_override_inventory', 'Allow another inventory')}
              {param('skip_galaxy_install', 'Skip installing Galaxy requirements')}
              {param('allow_override_skip_galaxy_install', 'Allow a task to choose')}
            </Group>
            <TextInput
              label="Working directory (optional)"
              description="Where Ansible runs, inside the repository (its ansible.cfg counts); the playbook path stays the repository's"
              placeholder="the repository's root"
              value={form.working_directory}
              onChange={(e) => set('working_directory', e.currentTarget.value)}
            />
            <VaultsEditor vaults={vaults} onChange={setVaults} keys={options(keys.data?.filter((k) => k.type === 'login_password' || k.type === 'string'))} />
          </>
        )}
        {terraform && (
          <Group>
            {param('auto_approve', 'Always auto-approve')}
            {param('allow_auto_approve', 'Allow auto-approve in a task')}
            {param('allow_destroy', 'Allow destroy')}
            {param('override_backend', 'Keep the state on this server')}
          </Group>
        )}
        <Select
          label="Type"
          data={[
            { value: '', label: 'Task' },
            { value: 'build', label: 'Build' },
            { value: 'deploy', label: 'Deploy' },
          ]}
          value={form.type}
          onChange={(v) => set('type', (v ?? '') as typeof form.type)}
          allowDeselect={false}
          w={200}
        />
        {form.type === 'build' && <TextInput label="Start version" placeholder="1.0.0" value={form.start_version} onChange={(e) => set('start_version', e.currentTarget.value)} />}
        {form.type === 'deploy' && (
          <Group align="flex-end">
            <Select
              label="Build template"
              required
              data={(templates.data ?? []).filter((t) => t.type === 'build').map((t) => ({ value: String(t.id), label: t.name }))}
              value={form.build_template_id}
              onChange={(v) => set('build_template_id', v)}
              w={280}
            />
            <Checkbox label="Run after each successful build" checked={form.autorun} onChange={(e) => set('autorun', e.currentTarget.checked)} mb={8} />
          </Group>
        )}
        <SurveyEditor fields={survey} onChange={setSurvey} />
        {save.error && (
          <Text c="red" role="alert">
            {errorText(save.error)}
          </Text>
        )}
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} label={editing ? 'Save' : 'Create'} />
    </form>
  );
}

interface Vault {
  name: string;
  type: 'password' | 'script';
  vault_key_id: number | null;
  script: string;
}

/** Ansible vaults: each a vault id with its password from a key, or a client script in the repository. */
function VaultsEditor({ vaults, onChange, keys }: { vaults: Vault[]; onChange: (vaults: Vault[]) => void; keys: { value: string; label: string }[] }) {
  const update = (index: number, change: Partial<Vault>) => onChange(vaults.map((v, i) => (i === index ? { ...v, ...change } : v)));
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        Vaults
      </Text>
      {vaults.map((vault, index) => (
        <Group key={index} align="flex-end" wrap="wrap">
          <TextInput label="Vault id" placeholder="default" value={vault.name} onChange={(e) => update(index, { name: e.currentTarget.value })} w={140} />
          <Select
            label="Password from"
            w={150}
            data={[
              { value: 'password', label: 'A key' },
              { value: 'script', label: 'A client script' },
            ]}
            value={vault.type}
            onChange={(v) => v && update(index, { type: v as Vault['type'] })}
            allowDeselect={false}
          />
          {vault.type === 'password' ? (
            <Select label="Key" data={keys} value={vault.vault_key_id != null ? String(vault.vault_key_id) : null} onChange={(v) => update(index, { vault_key_id: v ? Number(v) : null })} w={220} />
          ) : (
            <TextInput label="Script in the repository" value={vault.script} onChange={(e) => update(index, { script: e.currentTarget.value })} w={220} />
          )}
          <ActionIcon variant="subtle" color="red" aria-label={'Remove vault ' + (vault.name || 'default')} onClick={() => onChange(vaults.filter((_, i) => i !== index))} mb={6}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" w="fit-content" onClick={() => onChange([...vaults, { name: '', type: 'password', vault_key_id: null, script: '' }])}>
        Add vault
      </Button>
    </Stack>
  );
}

function SurveyEditor({ fields, onChange }: { fields: SurveyVar[]; onChange: (fields: SurveyVar[]) => void }) {
  const update = (index: number, change: Partial<SurveyVar>) => onChange(fields.map((f, i) => (i === index ? { ...f, ...change } : f)));
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        Survey (asked at each run)
      </Text>
      {fields.map((field, index) => (
        <Group key={index} align="flex-end" wrap="wrap">
          <TextInput label="Variable" value={field.name} onChange={(e) => update(index, { name: e.currentTarget.value })} w={150} />
          <TextInput label="Title" value={field.title} onChange={(e) => update(index, { title: e.currentTarget.value })} w={180} />
          <Select
            label="Type"
            w={120}
            data={[
              { value: '', label: 'Text' },
              { value: 'int', label: 'Number' },
              { value: 'secret', label: 'Secret' },
              { value: 'enum', label: 'Choice' },
              { value: 'text', label: 'Several lines' },
              { value: 'select', label: 'Several choices' },
            ]}
            value={field.type ?? ''}
            // a default of one type need not suit another
            onChange={(v) => update(index, { type: (v ?? '') as SurveyVar['type'], default_value: null })}
            allowDeselect={false}
          />
          <Select
            label="Passed as"
            w={190}
            data={[
              { value: '', label: 'Variable (extra vars, -var, argument)' },
              { value: 'env', label: 'Environment variable' },
            ]}
            value={field.target ?? ''}
            onChange={(v) => update(index, { target: (v ?? '') as SurveyVar['target'] })}
            allowDeselect={false}
          />
          {(field.type === 'enum' || field.type === 'select') && (
            <TextInput
              label="Choices (comma-separated)"
              value={(field.values ?? []).map((v) => v.value).join(', ')}
              onChange={(e) =>
                update(index, {
                  values: e.currentTarget.value
                    .split(',')
                    .map((s) => s.trim())
                    .filter(Boolean)
                    .map((v) => ({ name: v, value: v })),
                })
              }
            />
          )}
          <Checkbox label="Required" checked={Boolean(field.required)} onChange={(e) => update(index, { required: e.currentTarget.checked })} mb={8} />
          <ActionIcon variant="subtle" color="red" aria-label={'Remove survey field ' + field.name} onClick={() => onChange(fields.filter((_, i) => i !== index))} mb={6}>
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button variant="light" size="xs" w="fit-content" onClick={() => onChange([...fields, { name: '', title: '', type: '' }])}>
        Add survey field
      </Button>
    </Stack>
  );
}
