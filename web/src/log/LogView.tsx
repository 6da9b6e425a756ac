import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Box, Button, Group, TextInput, Tooltip, useComputedColorScheme } from '@mantine/core';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { apiUrl } from '../api/client';
import { getOnce } from '../logic/prefetch';
import type { OutputLine } from '../api/types';
import { LogFollower } from '../logic/logFollower';
import { listen } from '../live';

const DARK = { background: '#1a1b1e', foreground: '#d9d9d9' };
const LIGHT = { background: '#fbfbfb', foreground: '#1a1b1e', cursor: '#fbfbfb', selectionBackground: '#b3d4fc' };

/**
 * A task's log in a terminal view (ANSI colours as the tools print them). Lines are read through
 * {@link LogFollower} whenever the websocket says the task printed more; the view follows the tail
 * unless the reader has scrolled up.
 */
export function LogView({ projectId, taskId, running }: { projectId: number; taskId: number; running: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const search = useRef<SearchAddon | null>(null);
  const follower = useRef<LogFollower | null>(null);
  const [query, setQuery] = useState('');
  const [lines, setLines] = useState(0);
  const scheme = useComputedColorScheme('light');
  const terminal = useRef<Terminal | null>(null);

  useEffect(() => {
    const options = {
      convertEol: true,
      disableStdin: true,
      scrollback: 1_000_000,
      fontSize: 13,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
      theme: scheme === 'dark' ? DARK : LIGHT,
      cursorInactiveStyle: 'none' as const,
    };
    // xterm takes in a long log several times faster before it is attached to the page, but a
    // later change of width would re-flow every line: a throwaway terminal finds the size first.
    const probe = new Terminal(options);
    const probeFit = new FitAddon();
    probe.loadAddon(probeFit);
    probe.open(host.current!);
    const size = probeFit.proposeDimensions();
    probe.dispose();
    const term = new Terminal({ ...options, cols: size?.cols || 80, rows: size?.rows || 24 });
    const fit = new FitAddon();
    const searchAddon = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(searchAddon);
    terminal.current = term;
    let attached = false;
    const attach = () => {
      if (!attached && host.current) {
        attached = true;
        term.open(host.current);
        fit.fit();
      }
    };
    const resize = new ResizeObserver(() => attached && fit.fit());
    resize.observe(host.current!);
    const followLog = new LogFollower(
      (offset, limit) => getOnce<OutputLine[]>(`/project/${projectId}/tasks/${taskId}/output?offset=${offset}&limit=${limit}`),
      (page) => {
        const text = page.map((l) => l.output).join('\r\n') + '\r\n';
        // The count moves once xterm has taken the lines in, so it says what the view holds.
        term.write(text, () => {
          attach();
          setLines((n) => n + page.length);
        });
      },
    );
    follower.current = followLog;
    followLog.poke().then(attach, attach);
    const unlisten = listen((message) => {
      if (message.task_id === taskId) {
        followLog.poke().then(attach, attach);
      }
    });
    return () => {
      unlisten();
      followLog.stop();
      resize.disconnect();
      term.dispose();
    };
  }, [projectId, taskId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (terminal.current) {
      terminal.current.options.theme = scheme === 'dark' ? DARK : LIGHT;
    }
  }, [scheme]);

  // The last lines may be flushed just as the task ends: read once more then.
  useEffect(() => {
    if (!running) {
      follower.current?.poke();
    }
  }, [running]);

  const copyAll = async () => {
    const text = await fetch(apiUrl(`/project/${projectId}/tasks/${taskId}/raw_output`)).then((r) => r.text());
    await navigator.clipboard.writeText(text);
  };

  return (
    <Box>
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="xs">
          <TextInput
            size="xs"
            placeholder="Search the log"
            aria-label="Search the log"
            value={query}
            onChange={(e) => {
              setQuery(e.currentTarget.value);
              search.current?.findNext(e.currentTarget.value, { incremental: true });
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                if (e.shiftKey) {
                  search.current?.findPrevious(query);
                } else {
                  search.current?.findNext(query);
                }
              }
            }}
          />
          <Tooltip label="Previous match">
            <ActionIcon variant="default" aria-label="Previous match" onClick={() => search.current?.findPrevious(query)}>
              ↑
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Next match">
            <ActionIcon variant="default" aria-label="Next match" onClick={() => search.current?.findNext(query)}>
              ↓
            </ActionIcon>
          </Tooltip>
        </Group>
        <Group gap="xs">
          <span aria-live="polite" data-testid="log-lines" style={{ fontSize: 12, opacity: 0.7 }}>
            {lines} {lines === 1 ? "line" : "lines"}
          </span>
          <Button size="xs" variant="default" onClick={copyAll}>
            Copy
          </Button>
          <Button size="xs" variant="default" component="a" href={apiUrl(`/project/${projectId}/tasks/${taskId}/raw_output`)} download={`task-${taskId}.log`}>
            Download
          </Button>
        </Group>
      </Group>
      <Box ref={host} data-testid="task-log" style={{ height: 'min(60vh, 640px)', borderRadius: 4, overflow: 'hidden' }} />
    </Box>
  );
}
