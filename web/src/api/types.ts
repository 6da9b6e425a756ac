/** Upstream's JSON shapes, as the server sends them. */

export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  admin: boolean;
  alert: boolean;
  external?: boolean;
  created?: string;
}

export interface Project {
  id: number;
  name: string;
  created: string;
  alert: boolean;
  alert_chat: string | null;
  max_parallel_tasks: number;
  type: string;
  /** Ours: the project's own retention; 0 = the server's. */
  task_retention_days?: number;
  max_tasks_per_template?: number;
}

export type Role = 'owner' | 'manager' | 'task_runner' | 'guest';

export interface ProjectRole {
  role: Role | '';
  permissions: number;
}

export const Permission = { runTasks: 1, updateProject: 2, manageResources: 4, manageUsers: 8 } as const;

export interface Key {
  id: number;
  name: string;
  type: 'none' | 'ssh' | 'login_password' | 'string';
  project_id: number;
  ssh?: { login: string };
  login_password?: { login: string };
  /** why the key cannot be used (an SSH key whose private key cannot be read) */
  unusable?: string;
}

export interface Repository {
  id: number;
  name: string;
  project_id: number;
  git_url: string;
  git_branch: string;
  ssh_key_id: number;
}

export interface Inventory {
  id: number;
  name: string;
  project_id: number;
  inventory: string;
  ssh_key_id: number | null;
  become_key_id: number | null;
  repository_id: number | null;
  type: string;
}

export interface EnvironmentSecret {
  id: number;
  name: string;
  type: 'env' | 'var';
}

export interface VariableGroup {
  id: number;
  name: string;
  project_id: number;
  json: string;
  env: string;
  secrets: EnvironmentSecret[];
}

export interface SurveyVar {
  name: string;
  title: string;
  description?: string;
  type?: '' | 'int' | 'secret' | 'enum' | 'text' | 'select';
  /** upstream's target: '' passes it as the app's variables, 'env' as an environment variable */
  target?: '' | 'env';
  required?: boolean;
  /** a select's is a list */
  default_value?: string | string[] | null;
  values?: { name: string; value: string }[];
}

export interface Template {
  id: number;
  project_id: number;
  name: string;
  app: string;
  playbook: string;
  description: string | null;
  repository_id: number;
  inventory_id: number | null;
  environment_id: number | null;
  /** the variable groups in order (a later one's names win); environment_id is the first */
  environment_ids?: number[];
  /** Ansible: where it runs, inside the repository */
  working_directory?: string | null;
  suppress_error_alerts?: boolean;
  view_id: number | null;
  arguments: string | null;
  allow_override_args_in_task: boolean;
  allow_override_branch_in_task: boolean;
  allow_parallel_tasks: boolean;
  suppress_success_alerts: boolean;
  git_branch: string | null;
  runner_tag: string | null;
  type: '' | 'build' | 'deploy';
  start_version: string | null;
  build_template_id: number | null;
  autorun: boolean;
  survey_vars: SurveyVar[] | null;
  vaults: { id: number; name: string; type: string; vault_key_id: number | null; script: string | null }[];
  task_params: Record<string, unknown> | null;
  tasks: number;
  last_task: Task | null;
}

export type TaskStatus =
  | 'waiting'
  | 'starting'
  | 'waiting_confirmation'
  | 'confirmed'
  | 'rejected'
  | 'running'
  | 'stopping'
  | 'stopped'
  | 'success'
  | 'error';

export const FINISHED: TaskStatus[] = ['stopped', 'success', 'error'];

export interface Task {
  id: number;
  template_id: number;
  project_id: number;
  status: TaskStatus;
  user_id: number | null;
  message: string;
  playbook: string;
  environment: string | null;
  arguments: string | null;
  git_branch: string | null;
  params: Record<string, unknown>;
  commit_hash: string | null;
  commit_message: string | null;
  created: string;
  start: string | null;
  end: string | null;
  version: string | null;
  build_task_id: number | null;
  inventory_id: number | null;
  schedule_id: number | null;
  integration_id: number | null;
  tpl_alias: string;
  tpl_app: string;
  tpl_type: string;
  user_name: string | null;
  runner_id: number | null;
  /** Ours: why a queued task waits (no runner can take it now). */
  waiting_reason?: string;
}

export interface Runner {
  id: number;
  project_id: number | null;
  name: string;
  webhook: string;
  max_parallel_tasks: number;
  active: boolean;
  tag: string;
  touched: string | null;
  cleaning_requested: string | null;
  version: string | null;
  system_load: string | null;
  online: boolean;
  running_tasks: number;
}

export interface OutputLine {
  id: number;
  task_id: number;
  time: string;
  output: string;
  stage_id?: number | null;
}

export interface Stage {
  id: number;
  task_id: number;
  type: string;
  start: string;
  end: string | null;
  start_output_line: number;
  result: unknown;
}

export interface Event {
  project_id: number | null;
  object_type: string;
  object_id: number | null;
  object_name: string | null;
  description: string;
  created: string;
  username: string | null;
  project_name?: string | null;
}

export interface Member {
  id: number;
  username: string;
  name: string;
  role: Role;
}

export interface View {
  id: number;
  title: string;
  position: number;
  project_id: number;
  hidden?: boolean;
  /** "all" for the built-in All view */
  type?: string;
}

export interface AppInfo {
  id: string;
  active: boolean;
  priority: number;
  title: string;
  path?: string;
  args?: string[];
}

export interface Token {
  id: string;
  created: string;
  expired: boolean;
  name?: string;
}

export interface Schedule {
  id: number;
  project_id: number;
  template_id: number;
  name: string;
  /** "" runs on cron_format; "run_at" once at run_at */
  type: '' | 'run_at';
  cron_format: string;
  run_at: string | null;
  delete_after_run: boolean;
  /** an IANA zone, or "" for the server's schedule.timezone */
  timezone: string;
  active: boolean;
  repository_id: number | null;
  task_params: { message?: string; arguments?: string; git_branch?: string; [key: string]: unknown };
  next_run: string | null;
  last_run: string | null;
  last_error: string | null;
  missed_runs: number;
  tpl_name: string;
  cron_description: string | null;
}

export interface CronCheck {
  cron_format: string;
  description: string;
  timezone: string;
  next_runs: string[];
}

export interface Integration {
  id: number;
  project_id: number;
  name: string;
  template_id: number;
  auth_method: '' | 'token' | 'hmac' | 'github' | 'bitbucket' | 'basic';
  auth_secret_id: number | null;
  auth_header: string;
  searchable: boolean;
  task_params: { message?: string; [key: string]: unknown };
}

export interface IntegrationMatcher {
  id: number;
  integration_id: number;
  name: string;
  match_type: 'header' | 'body';
  method: 'equals' | 'unequals' | 'contains';
  body_data_type: 'json' | 'string' | null;
  key: string;
  value: string;
}

export interface IntegrationValue {
  id: number;
  integration_id: number;
  name: string;
  value_source: 'header' | 'body';
  body_data_type: 'json' | 'string' | null;
  key: string;
  variable: string;
  variable_type: 'environment' | 'task';
}

export interface IntegrationAlias {
  id: number;
  alias: string;
  url: string;
}

export interface IntegrationDelivery {
  id: number;
  integration_id: number;
  alias: string;
  received: string;
  method: string;
  outcome: string;
  task_id: number | null;
  body: string | null;
}
