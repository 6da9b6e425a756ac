import { Badge } from '@mantine/core';
import type { TaskStatus } from '../api/types';

const COLORS: Record<TaskStatus, string> = {
  waiting: 'gray',
  starting: 'blue',
  waiting_confirmation: 'orange',
  confirmed: 'blue',
  rejected: 'red',
  running: 'blue',
  stopping: 'yellow',
  stopped: 'gray',
  success: 'green',
  error: 'red',
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" data-testid="task-status">
      {status.replace('_', ' ')}
    </Badge>
  );
}
