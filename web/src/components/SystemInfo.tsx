import { Loader, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import { useApps } from '../api/hooks';
import { ErrorNotice } from './ErrorNotice';

interface Info {
  version: string;
  server_version?: string;
  ansible: string;
  web_host: string;
  git_client: string;
  schedule_timezone: string;
  database?: string;
  tools?: Record<string, string>;
}

/** Versions of the server and of the tools it runs tasks with. */
export function SystemInfo() {
  const info = useQuery({ queryKey: ['info'], queryFn: () => get<Info>('/info') });
  const apps = useApps();
  if (info.isPending) {
    return <Loader aria-label="Loading" />;
  }
  if (info.isError) {
    return <ErrorNotice error={info.error} />;
  }
  const rows: [string, string][] = [
    ['Server version', info.data.server_version ?? ''],
    ['Upstream API version', info.data.version],
    ['Database', info.data.database ?? ''],
    ...Object.entries(info.data.tools ?? {}).map(([tool, version]): [string, string] => [tool, version]),
    ['Git client', info.data.git_client],
    ['Schedule time zone', info.data.schedule_timezone],
    ['Public URL', info.data.web_host || '(not set)'],
    ['Apps available', (apps.data ?? []).filter((a) => a.active).map((a) => a.title).join(', ')],
  ];
  return (
    <Table>
      <Table.Tbody>
        {rows.map(([k, v]) => (
          <Table.Tr key={k}>
            <Table.Th>{k}</Table.Th>
            <Table.Td>{v}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
