import { useState } from 'react';
import { Button, Stack, TextInput, Title } from '@mantine/core';
import { useNavigate } from 'react-router-dom';
import { post } from '../api/client';
import { useChange } from '../api/hooks';
import type { Project } from '../api/types';

export function NewProjectPage() {
  const [name, setName] = useState('');
  const navigate = useNavigate();
  const create = useChange((projectName: string) => post<Project>('/projects', { name: projectName }), {
    invalidate: [['projects']],
    success: 'Project created',
    onSuccess: (project) => navigate(`/project/${project.id}/templates`),
  });
  return (
    <Stack maw={420}>
      <Title order={2}>New project</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name);
        }}
      >
        <Stack>
          <TextInput label="Project name" required value={name} onChange={(e) => setName(e.currentTarget.value)} autoFocus />
          <Button type="submit" loading={create.isPending} w="fit-content">
            Create
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
