import { useState } from 'react';
import { Checkbox, Group, MultiSelect, NumberInput, PasswordInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { get, post } from '../api/client';
import { useChange } from '../api/hooks';
import type { Task, Template } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { commaList, initialValue, surveyValues, type SurveyInput } from '../logic/survey';
import { gate } from '../components/QueryGate';

const TERRAFORM = ['terraform', 'tofu', 'terragrunt'];

/** Starts a task of a template with the overrides it allows and its survey; `previous` pre-fills a re-run. */
export function RunDialog({ projectId, templateId, previous, done }: { projectId: number; templateId: number; previous?: Task; done: () => void }) {
  const template = useQuery({
    queryKey: ['project', projectId, 'templates', templateId],
    queryFn: () => get<Template>(`/project/${projectId}/templates/${templateId}`),
  });
  if (!template.data) {
    return gate(template, 'the template');
  }
  return <RunForm projectId={projectId} template={template.data} previous={previous} done={done} />;
}

function RunForm({ projectId, template, previous, done }: { projectId: number; template: Template; previous?: Task; done: () => void }) {
  const navigate = useNavigate();
  const params = (template.task_params ?? {}) as Record<string, unknown>;
  const before = (previous?.params ?? {}) as Record<string, unknown>;
  const survey = template.survey_vars ?? [];
  const [message, setMessage] = useState(previous?.message ?? '');
  const [branch, setBranch] = useState(previous?.git_branch ?? '');
  const [args, setArgs] = useState(previous?.arguments ?? '');
  const [limit, setLimit] = useState(((before.limit as string[]) ?? []).join(', '));
  const [tags, setTags] = useState(((before.tags as string[]) ?? []).join(', '));
  const [skipTags, setSkipTags] = useState(((before.skip_tags as string[]) ?? []).join(', '));
  const [flags, setFlags] = useState<Record<string, boolean>>({
    debug: Boolean(before.debug),
    dry_run: Boolean(before.dry_run),
    diff: Boolean(before.diff),
    plan: Boolean(before.plan),
    destroy: Boolean(before.destroy),
    auto_approve: Boolean(before.auto_approve),
    upgrade: Boolean(before.upgrade),
    reconfigure: Boolean(before.reconfigure),
  });
  const [debugLevel, setDebugLevel] = useState<number>(Number(before.debug_level ?? 4));
  const previousVars = previous?.environment ? safeJson(previous.environment) : {};
  const [inputs, setInputs] = useState<Record<string, SurveyInput>>(
    Object.fromEntries(survey.map((f) => [f.name, previousVars[f.name] != null ? previousInput(previousVars[f.name]) : initialValue(f)])),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = useChange((body: unknown) => post<Task>(`/project/${projectId}/tasks`, body), {
    invalidate: [['project', projectId, 'tasks'], ['project', projectId, 'templates']],
    onSuccess: (task) => {
      done();
      navigate(`/project/${projectId}/templates/${template.id}?t=${task.id}`);
    },
  });
  const flag = (name: string, label: string) => (
    <Checkbox key={name} label={label} checked={flags[name]} onChange={(e) => setFlags({ ...flags, [name]: e.currentTarget.checked })} />
  );
  const ansible = template.app === 'ansible';
  const terraform = TERRAFORM.includes(template.app);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const values = surveyValues(survey, inputs);
    setErrors(values.errors);
    if (Object.keys(values.errors).length > 0) {
      return;
    }
    const taskParams: Record<string, unknown> = {};
    if (ansible) {
      if (params.allow_override_limit && limit.trim()) taskParams.limit = commaList(limit);
      if (params.allow_override_tags && tags.trim()) taskParams.tags = commaList(tags);
      if (params.allow_override_skip_tags && skipTags.trim()) taskParams.skip_tags = commaList(skipTags);
      if (params.allow_debug && flags.debug) {
        taskParams.debug = true;
        taskParams.debug_level = debugLevel;
      }
      taskParams.dry_run = flags.dry_run;
      taskParams.diff = flags.diff;
    }
    if (terraform) {
      taskParams.plan = flags.plan;
      taskParams.upgrade = flags.upgrade;
      taskParams.reconfigure = flags.reconfigure;
      if (params.allow_destroy) taskParams.destroy = flags.destroy;
      if (params.allow_auto_approve) taskParams.auto_approve = flags.auto_approve;
    }
    const body: Record<string, unknown> = { template_id: template.id, message, params: taskParams };
    if (template.allow_override_branch_in_task && branch.trim()) body.git_branch = branch.trim();
    if (template.allow_override_args_in_task && args.trim()) body.arguments = args.trim();
    if (Object.keys(values.environment).length > 0) body.environment = JSON.stringify(values.environment);
    if (Object.keys(values.secret).length > 0) body.secret = JSON.stringify(values.secret);
    run.mutate(body);
  };

  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm" c="dimmed">
          {template.name} ({template.app})
        </Text>
        <TextInput label="Message" placeholder="Why this run (optional)" value={message} onChange={(e) => setMessage(e.currentTarget.value)} data-autofocus />
        {survey.map((field) => {
          const held = inputs[field.name] ?? '';
          const common = {
            key: field.name,
            label: field.title || field.name,
            description: field.description,
            required: field.required,
            error: errors[field.name],
            value: Array.isArray(held) ? held.join(',') : held,
          };
          const set = (value: SurveyInput) => setInputs({ ...inputs, [field.name]: value });
          const choices = (field.values ?? []).map((v) => ({ value: v.value, label: v.name || v.value }));
          if (field.type === 'select') {
            return (
              <MultiSelect
                {...common}
                value={Array.isArray(held) ? held : held === '' ? [] : [held]}
                data={choices}
                onChange={set}
                clearable
              />
            );
          }
          if (field.type === 'text') {
            return <Textarea {...common} autosize minRows={3} onChange={(e) => set(e.currentTarget.value)} />;
          }
          if (field.type === 'secret') {
            return <PasswordInput {...common} onChange={(e) => set(e.currentTarget.value)} />;
          }
          if (field.type === 'enum') {
            return (
              <Select
                {...common}
                data={choices}
                onChange={(v) => set(v ?? '')}
                clearable={!field.required}
              />
            );
          }
          return <TextInput {...common} inputMode={field.type === 'int' ? 'numeric' : undefined} onChange={(e) => set(e.currentTarget.value)} />;
        })}
        {template.allow_override_branch_in_task && (
          <TextInput label="Branch" placeholder={template.git_branch ?? 'the repository’s branch'} value={branch} onChange={(e) => setBranch(e.currentTarget.value)} />
        )}
        {template.allow_override_args_in_task && (
          <Textarea label="Arguments (JSON array)" placeholder='["--verbose"]' value={args} onChange={(e) => setArgs(e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
        )}
        {ansible && (
          <>
            {Boolean(params.allow_override_limit) && <TextInput label="Limit (hosts or groups, comma-separated)" value={limit} onChange={(e) => setLimit(e.currentTarget.value)} />}
            {Boolean(params.allow_override_tags) && <TextInput label="Tags" value={tags} onChange={(e) => setTags(e.currentTarget.value)} />}
            {Boolean(params.allow_override_skip_tags) && <TextInput label="Skip tags" value={skipTags} onChange={(e) => setSkipTags(e.currentTarget.value)} />}
            <Group>
              {flag('dry_run', 'Dry run (--check)')}
              {flag('diff', 'Diff (--diff)')}
              {Boolean(params.allow_debug) && flag('debug', 'Debug')}
            </Group>
            {Boolean(params.allow_debug) && flags.debug && (
              <NumberInput label="Verbosity (-v count)" min={1} max={6} value={debugLevel} onChange={(v) => setDebugLevel(Number(v) || 4)} w={200} />
            )}
          </>
        )}
        {terraform && (
          <Group>
            {flag('plan', 'Plan only')}
            {Boolean(params.allow_destroy) && flag('destroy', 'Destroy')}
            {Boolean(params.allow_auto_approve) && !params.auto_approve && flag('auto_approve', 'Auto-approve')}
            {flag('upgrade', 'Upgrade (init -upgrade)')}
            {flag('reconfigure', 'Reconfigure')}
          </Group>
        )}
      </Stack>
      <FormButtons busy={run.isPending} onCancel={done} label="Run" />
    </form>
  );
}

function safeJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

/** A previous run's value of a survey field: a list stays one (a select's), anything else is its text. */
function previousInput(value: unknown): SurveyInput {
  return Array.isArray(value) ? value.map(String) : String(value);
}
