import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiUrl } from './api/client';

/** upstream's websocket messages */
export interface UpdateMessage {
  type: 'update';
  task_id: number;
  template_id: number;
  project_id: number;
  status: string;
  start: string | null;
  end: string | null;
}

export interface LogMessage {
  type: 'log';
  task_id: number;
  project_id: number;
  time: string;
  output: string;
}

type Listener = (message: UpdateMessage | LogMessage) => void;
const listeners = new Set<Listener>();

/** Hears every message of the open connection until the returned function is called. */
export function listen(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isTaskOrTemplateQuery(key: readonly unknown[]): boolean {
  return key[0] === 'project' && (key[2] === 'tasks' || key[2] === 'templates');
}

/**
 * Keeps one websocket open while signed in (reconnecting after a drop) and refreshes the task and
 * template lists when a task changes.
 */
export function useLiveUpdates() {
  const client = useQueryClient();
  useEffect(() => {
    let socket: WebSocket | null = null;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 500;
    const connect = () => {
      socket = new WebSocket(apiUrl('/ws').replace(/^http/, 'ws'));
      socket.onopen = () => {
        delay = 500;
        // What changed while no socket was open (before the first one, or during a drop) was not
        // heard: read the task and template lists again.
        client.invalidateQueries({ predicate: (query) => isTaskOrTemplateQuery(query.queryKey) });
      };
      socket.onmessage = (event) => {
        let message: UpdateMessage | LogMessage;
        try {
          message = JSON.parse(event.data);
        } catch {
          return;
        }
        if (message.type === 'update') {
          client.invalidateQueries({ queryKey: ['project', message.project_id, 'tasks'] });
          client.invalidateQueries({ queryKey: ['project', message.project_id, 'templates'] });
          client.invalidateQueries({ queryKey: ['project', message.project_id, 'terraform'] });
        }
        listeners.forEach((listener) => listener(message));
      };
      socket.onclose = () => {
        if (!closed) {
          retry = setTimeout(connect, delay);
          delay = Math.min(delay * 2, 10_000);
        }
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      socket?.close();
    };
  }, [client]);
}
