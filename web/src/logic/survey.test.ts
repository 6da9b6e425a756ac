import { describe, expect, it } from 'vitest';
import { commaList, initialValue, surveyValues } from './survey';
import type { SurveyVar } from '../api/types';

const fields: SurveyVar[] = [
  { name: 'replicas', title: 'Replicas', type: 'int', required: true },
  { name: 'region', title: 'Region', type: 'enum', values: [{ name: 'EU', value: 'eu' }, { name: 'US', value: 'us' }] },
  { name: 'token', title: 'Token', type: 'secret', required: true },
  { name: 'note', title: 'Note' },
];

describe('surveyValues', () => {
  it('types numbers, keeps secrets apart and leaves out empty optional fields', () => {
    const result = surveyValues(fields, { replicas: ' 3 ', region: 'us', token: ' s3cret ', note: '' });
    expect(result.errors).toEqual({});
    expect(result.environment).toEqual({ replicas: 3, region: 'us' });
    expect(result.secret).toEqual({ token: ' s3cret ' });
  });

  it('names each field that is wrong', () => {
    const result = surveyValues(fields, { replicas: 'three', region: 'mars', token: '' });
    expect(result.errors).toEqual({
      replicas: 'Replicas must be a whole number',
      region: 'Region must be one of eu, us',
      token: 'Token is required',
    });
    expect(result.environment).toEqual({});
  });

  it('starts a required enum at its first choice and others at their default', () => {
    expect(initialValue({ name: 'x', title: 'X', type: 'enum', required: true, values: [{ name: 'A', value: 'a' }] })).toBe('a');
    expect(initialValue({ name: 'y', title: 'Y', default_value: '7' })).toBe('7');
    expect(initialValue({ name: 'z', title: 'Z' })).toBe('');
  });
});

describe('upstream 2.17+ survey types', () => {
  const newer: SurveyVar[] = [
    { name: 'regions', title: 'Regions', type: 'select', required: true, values: [{ name: 'EU', value: 'eu' }, { name: 'US', value: 'us' }], default_value: ['eu'] },
    { name: 'notes', title: 'Notes', type: 'text' },
  ];

  it('sends a select as a list and a multi-line text as typed', () => {
    const result = surveyValues(newer, { regions: ['eu', 'us'], notes: '  line one\nline two\n' });
    expect(result.errors).toEqual({});
    expect(result.environment).toEqual({ regions: ['eu', 'us'], notes: '  line one\nline two\n' });
  });

  it('asks a required select for a choice and refuses one not offered', () => {
    expect(surveyValues(newer, { regions: [] }).errors).toEqual({ regions: 'Regions is required' });
    expect(surveyValues(newer, { regions: ['mars'] }).errors).toEqual({ regions: 'Regions must be among eu, us' });
  });

  it('starts a select at its default list', () => {
    expect(initialValue(newer[0])).toEqual(['eu']);
    expect(initialValue({ name: 's', title: 'S', type: 'select', default_value: 'us' })).toEqual(['us']);
    expect(initialValue({ name: 't', title: 'T', type: 'text', default_value: null })).toBe('');
  });
});

describe('commaList', () => {
  it('splits and trims', () => {
    expect(commaList('web1, web2 ,,db')).toEqual(['web1', 'web2', 'db']);
    expect(commaList('  ')).toEqual([]);
  });
});
