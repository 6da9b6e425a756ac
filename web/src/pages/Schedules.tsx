import { useEffect, useState } from 'react';
import { Alert, Checkbox, Code, List, Select, SegmentedControl, Stack, Switch, Text, TextInput } from '@mantine/core';
import { api, errorText, post } from '../api/client';
import { useChange, useRepositories, useRole, useSchedules, useTemplates } from '../api/hooks';
import { Permission, type CronCheck, type Schedule } from '../api/types';
import { FormButtons } from '../components/FormButtons';
import { ResourcePage } from '../components/ResourcePage';
import { useProjectId } from '../components/Shell';
import { inZone } from '../logic/time';

/** The project's schedules: when each runs (in its zone), what it last did, and a switch to pause it. */
export function SchedulesPage() {
  const projectId = useProjectId();
  const schedules = useSchedules(projectId);
  return <ScheduleList projectId={projectId} query={schedules} title="Schedules" />;
}

/** A table of schedules with create, edit, delete and the active switch; {@code templateId} fixes the template of new ones. */
export function ScheduleList(props: {
  projectId: number;
  title: string;
  templateId?: number;
  query: { data?: Schedule[]; isPending: boolean; isError: boolean; error: unknown };
}) {
  const { projectId } = props;
  const role = useRole(projectId);
  const canManage = ((role.data?.permissions ?? 0) & Permission.manageResources) !== 0;
  const toggle = useChange(
    (s: Schedule) => api('PUT', `/project/${projectId}/schedules/${s.id}/active`, { active: !s.active }),
    { invalidate: [['project', projectId, 'schedules']] },
  );
  const named = (props.query.data ?? []).map((s) => ({ ...s, name: s.name || `Schedule #${s.id}` }));
  return (
    <ResourcePage
      projectId={projectId}
      title={props.title}
      resource="schedules"
      noun="schedule"
      query={{ ...props.query, data: props.query.data ? named : undefined }}
      columns={[
        ...(props.templateId ? [] : [{ title: 'Template', render: (s: Schedule) => s.tpl_name }]),
        {
          title: 'When',
          render: (s: Schedule) => (
            <>
              <Text size="sm">{s.cron_description}</Text>
              {s.type === '' && <Code>{s.cron_format}</Code>}
              {s.repository_id != null && (
                <Text size="xs" c="dimmed">
                  only when the branch moved
                </Text>
              )}
            </>
          ),
        },
        { title: 'Next run', render: (s: Schedule) => (s.active ? inZone(s.next_run, s.timezone) : 'paused') },
        {
          title: 'Last run',
          render: (s: Schedule) => (
            <>
              <Text size="sm">{inZone(s.last_run, s.timezone)}</Text>
              {s.last_error && (
                <Text size="xs" c="red" role="status">
                  {s.last_error}
                </Text>
              )}
            </>
          ),
        },
        {
          title: 'Active',
          render: (s: Schedule) => (
            <Switch
              checked={s.active}
              disabled={!canManage || toggle.isPending}
              onChange={() => toggle.mutate(s)}
              aria-label={(s.active ? 'Pause ' : 'Activate ') + s.name}
            />
          ),
        },
      ]}
      form={(schedule, done) => (
        <ScheduleForm projectId={projectId} schedule={schedule} templateId={props.templateId} done={done} />
      )}
    />
  );
}

function ScheduleForm({ projectId, schedule, templateId, done }: {
  projectId: number;
  schedule?: Schedule;
  templateId?: number;
  done: () => void;
}) {
  const templates = useTemplates(projectId);
  const repositories = useRepositories(projectId);
  const [name, setName] = useState(schedule?.name ?? '');
  const [template, setTemplate] = useState<string | null>(
    schedule ? String(schedule.template_id) : templateId ? String(templateId) : null,
  );
  const [type, setType] = useState<'' | 'run_at'>(schedule?.type ?? '');
  const [cron, setCron] = useState(schedule?.cron_format || '0 3 * * *');
  const [runAt, setRunAt] = useState(schedule?.run_at ? toLocalInput(schedule.run_at) : '');
  const [deleteAfterRun, setDeleteAfterRun] = useState(schedule?.delete_after_run ?? false);
  const [zone, setZone] = useState(schedule?.timezone ?? '');
  const [repository, setRepository] = useState<string | null>(schedule?.repository_id ? String(schedule.repository_id) : null);
  const [message, setMessage] = useState(schedule?.task_params?.message ?? '');
  const check = useCronCheck(projectId, type === '' ? cron : null, zone);
  const save = useChange(
    (body: unknown) =>
      schedule
        ? api('PUT', `/project/${projectId}/schedules/${schedule.id}`, body)
        : api('POST', `/project/${projectId}/schedules`, body),
    { invalidate: [['project', projectId, 'schedules']], success: 'Schedule saved', onSuccess: done },
  );
  const templateOptions = (templates.data ?? []).map((t) => ({ value: String(t.id), label: t.name }));
  const repositoryOptions = (repositories.data ?? []).map((r) => ({ value: String(r.id), label: r.name }));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          name,
          template_id: Number(template),
          type,
          cron_format: type === '' ? cron : '',
          run_at: type === 'run_at' && runAt ? new Date(runAt).toISOString() : undefined,
          delete_after_run: type === 'run_at' && deleteAfterRun,
          timezone: zone,
          active: schedule?.active ?? true,
          repository_id: repository ? Number(repository) : null,
          task_params: { ...(schedule?.task_params ?? {}), message },
        });
      }}
    >
      <Stack>
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
        <Select label="Template" required data={templateOptions} value={template} onChange={setTemplate} disabled={templateId != null} searchable />
        <SegmentedControl
          value={type}
          onChange={(v) => setType(v as '' | 'run_at')}
          data={[
            { value: '', label: 'Repeating (cron)' },
            { value: 'run_at', label: 'Once' },
          ]}
        />
        {type === '' ? (
          <>
            <TextInput
              label="Cron expression"
              description="minute hour day-of-month month day-of-week, @daily, @hourly or @every 10m"
              required
              value={cron}
              onChange={(e) => setCron(e.currentTarget.value)}
              error={check.error}
            />
            {check.result && (
              <Alert variant="light" title={check.result.description}>
                <Text size="sm">Next runs ({check.result.timezone}):</Text>
                <List size="sm">
                  {check.result.next_runs.map((t) => (
                    <List.Item key={t}>{inZone(t, zone || check.result!.timezone)}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
          </>
        ) : (
          <>
            <TextInput label="Run at" type="datetime-local" step={1} required value={runAt} onChange={(e) => setRunAt(e.currentTarget.value)} />
            <Checkbox label="Delete the schedule after it ran" checked={deleteAfterRun} onChange={(e) => setDeleteAfterRun(e.currentTarget.checked)} />
          </>
        )}
        <TextInput label="Time zone" description="An IANA zone such as Europe/Berlin; empty for the server's" value={zone} onChange={(e) => setZone(e.currentTarget.value)} />
        <Select
          label="Run only when this repository's branch moved"
          clearable
          placeholder="always run"
          data={repositoryOptions}
          value={repository}
          onChange={setRepository}
        />
        <TextInput label="Task message" value={message} onChange={(e) => setMessage(e.currentTarget.value)} />
      </Stack>
      <FormButtons busy={save.isPending} onCancel={done} />
    </form>
  );
}

/** The server's reading of an expression (upstream's /schedules/validate), asked a moment after typing stops. */
function useCronCheck(projectId: number, cron: string | null, zone: string) {
  const [state, setState] = useState<{ result?: CronCheck; error?: string }>({});
  useEffect(() => {
    if (cron == null) {
      setState({});
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      post<CronCheck>(`/project/${projectId}/schedules/validate`, { cron_format: cron, timezone: zone })
        .then((result) => current && setState({ result }))
        .catch((e) => current && setState({ error: errorText(e) }));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [projectId, cron, zone]);
  return state;
}

/** An instant as a datetime-local input holds it (the browser's local time, to the second). */
function toLocalInput(time: string): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
