import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import { RunDialog } from './RunDialog';
import type { Task } from '../api/types';

// The dialog's logic against a stand-in for the server's two answers (the template, the new
// task); the real server is exercised by the end-to-end tests in e2e/.
const template = {
  id: 2,
  project_id: 1,
  name: 'Deploy',
  app: 'bash',
  playbook: 'deploy.sh',
  allow_override_branch_in_task: true,
  allow_override_args_in_task: false,
  task_params: {},
  survey_vars: [
    { name: 'replicas', title: 'Replicas', type: 'int', required: true },
    { name: 'token', title: 'Token', type: 'secret', required: true },
    { name: 'note', title: 'Note' },
  ],
};

function serve() {
  const posted: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'POST') {
        posted.push(JSON.parse(String(init.body)));
        return new Response(JSON.stringify({ id: 9, template_id: 2 }), { status: 201, headers: { 'Content-Type': 'application/json' } });
      }
      expect(url).toContain('/api/project/1/templates/2');
      return new Response(JSON.stringify(template), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }),
  );
  return posted;
}

function show(done = () => {}, previous?: Task) {
  render(
    <MantineProvider>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <RunDialog projectId={1} templateId={2} done={done} previous={previous} />
        </MemoryRouter>
      </QueryClientProvider>
    </MantineProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('RunDialog', () => {
  it('names each required survey field left empty and sends nothing', async () => {
    const posted = serve();
    show();
    const replicas = await screen.findByLabelText(/Replicas/);
    expect(replicas.hasAttribute('required')).toBe(true); // the browser asks first
    fireEvent.submit(replicas.closest('form')!); // and the dialog checks again
    expect(await screen.findByText('Replicas is required')).toBeTruthy();
    expect(screen.getByText('Token is required')).toBeTruthy();
    expect(posted).toEqual([]);
  });

  it('sends typed survey values as extra variables, secrets apart, and the branch the template allows', async () => {
    const posted = serve();
    const done = vi.fn();
    show(done);
    fireEvent.change(await screen.findByLabelText(/Replicas/), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText(/Token/), { target: { value: 's3cret' } });
    fireEvent.change(screen.getByLabelText('Branch'), { target: { value: 'release' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'ship it' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(posted).toEqual([
      {
        template_id: 2,
        message: 'ship it',
        params: {},
        git_branch: 'release',
        environment: '{"replicas":3}',
        secret: '{"token":"s3cret"}',
      },
    ]);
  });

  it('runs again with the parameters of the task it repeats (secrets are asked again)', async () => {
    const posted = serve();
    const done = vi.fn();
    const previous = {
      id: 5, template_id: 2, message: 'nightly', git_branch: 'release', environment: '{"replicas":4,"note":"again"}',
      params: {}, status: 'success',
    } as unknown as Task;
    show(done, previous);
    const replicas = (await screen.findByLabelText(/Replicas/)) as HTMLInputElement;
    expect(replicas.value).toBe('4');
    expect((screen.getByLabelText('Branch') as HTMLInputElement).value).toBe('release');
    fireEvent.change(screen.getByLabelText(/Token/), { target: { value: 't0k' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    expect(posted).toEqual([
      {
        template_id: 2,
        message: 'nightly',
        params: {},
        git_branch: 'release',
        environment: '{"replicas":4,"note":"again"}',
        secret: '{"token":"t0k"}',
      },
    ]);
  });
});
