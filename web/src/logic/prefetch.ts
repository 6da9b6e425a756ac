import { get } from '../api/client';

const early = new Map<string, Promise<unknown>>();

/**
 * Starts a request before the page that needs it is loaded: opening a task by its URL, its log can
 * download while the app's code and the task's details load.
 */
export function prefetch(path: string) {
  const request = get(path);
  request.catch(() => undefined); // whoever takes it asks again
  early.set(path, request);
}

/** The answer of a request started early, or a new request. */
export function getOnce<T>(path: string): Promise<T> {
  const request = early.get(path) as Promise<T> | undefined;
  early.delete(path);
  return request ? request.catch(() => get<T>(path)) : get<T>(path);
}

/** The log a URL like /project/1/templates/2?t=3 will show, as LogView asks for it first. */
export function firstLogPage(pathname: string, search: string): string | null {
  const project = /\/project\/(\d+)\/templates\/\d+\/?$/.exec(pathname);
  const task = new URLSearchParams(search).get('t');
  return project && task && /^\d+$/.test(task) ? `/project/${project[1]}/tasks/${task}/output?offset=0&limit=100000` : null;
}
