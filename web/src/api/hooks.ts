import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { api, errorText, get } from './client';
import type {
  AppInfo,
  Event,
  Integration,
  Inventory,
  Key,
  Member,
  Project,
  ProjectRole,
  Repository,
  Schedule,
  Task,
  Template,
  Token,
  User,
  VariableGroup,
  View,
} from './types';
import { FINISHED } from './types';

export const useCurrentUser = () => useQuery({ queryKey: ['user'], queryFn: () => get<User>('/user'), retry: false });
export const useProjects = () => useQuery({ queryKey: ['projects'], queryFn: () => get<Project[]>('/projects') });

const p = (projectId: number, rest = '') => `/project/${projectId}${rest}`;

export const useProject = (id: number) =>
  useQuery({ queryKey: ['project', id], queryFn: () => get<Project>(p(id)) });
export const useRole = (id: number) =>
  useQuery({ queryKey: ['project', id, 'role'], queryFn: () => get<ProjectRole>(p(id, '/role')) });

/** A list of one of a project's resources ("keys", "repositories", ...). */
export function useResource<T>(projectId: number, resource: string) {
  return useQuery({ queryKey: ['project', projectId, resource], queryFn: () => get<T[]>(p(projectId, '/' + resource)) });
}

export const useKeys = (id: number) => useResource<Key>(id, 'keys');
export const useRepositories = (id: number) => useResource<Repository>(id, 'repositories');
export const useInventories = (id: number) => useResource<Inventory>(id, 'inventory');
export const useVariableGroups = (id: number) => useResource<VariableGroup>(id, 'environment');
export const useTemplates = (id: number) => useResource<Template>(id, 'templates');
export const useViews = (id: number) => useResource<View>(id, 'views');
export const useMembers = (id: number) => useResource<Member>(id, 'users');
export const useSchedules = (id: number) => useResource<Schedule>(id, 'schedules');
export const useIntegrations = (id: number) => useResource<Integration>(id, 'integrations');
export const useApps = () => useQuery({ queryKey: ['apps'], queryFn: () => get<AppInfo[]>('/apps') });

export const useTasks = (projectId: number) =>
  useQuery({ queryKey: ['project', projectId, 'tasks'], queryFn: () => get<Task[]>(p(projectId, '/tasks')) });
const ACTIVE_TASK_POLL_MS = 5_000;
export const useTask = (projectId: number, taskId: number | null) =>
  useQuery({
    queryKey: ['project', projectId, 'tasks', taskId],
    queryFn: () => get<Task>(p(projectId, `/tasks/${taskId}`)),
    enabled: taskId != null,
    // The websocket says when a task changes; a message lost to a dropped connection must not
    // leave a running task's view stale, so an unfinished task is also asked after now and then.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && !FINISHED.includes(status) ? ACTIVE_TASK_POLL_MS : false;
    },
  });
export const useEvents = (projectId: number) =>
  useQuery({ queryKey: ['project', projectId, 'events'], queryFn: () => get<Event[]>(p(projectId, '/events')) });
export const useUsers = () => useQuery({ queryKey: ['users'], queryFn: () => get<User[]>('/users') });
export interface LoginAttempts {
  subject: string;
  failures: number;
  last_failure: string;
  locked_until: string | null;
}
export const useLockouts = () => useQuery({ queryKey: ['lockouts'], queryFn: () => get<LoginAttempts[]>('/auth/lockouts') });
export const useTokens = () => useQuery({ queryKey: ['tokens'], queryFn: () => get<Token[]>('/user/tokens') });

/**
 * A change through the API: on success the listed queries refresh and a note says what happened;
 * on failure the server's message is shown (the form stays as it was).
 */
export function useChange<Input, Output = unknown>(
  send: (input: Input) => Promise<Output>,
  options: { invalidate: QueryKey[]; success?: string; onSuccess?: (output: Output) => void },
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (output) => {
      options.invalidate.forEach((key) => client.invalidateQueries({ queryKey: key }));
      if (options.success) {
        notifications.show({ color: 'teal', message: options.success });
      }
      options.onSuccess?.(output);
    },
    onError: (error) => notifications.show({ color: 'red', title: 'Not done', message: errorText(error) }),
  });
}

export { api };
