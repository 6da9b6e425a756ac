import type { SurveyVar } from '../api/types';

/** What a survey field holds: a select's choices, or the text typed. */
export type SurveyInput = string | string[];

export interface SurveyResult {
  /** non-secret values, for the task's `environment` (extra variables) */
  environment: Record<string, string | number | string[]>;
  /** secret values, for the task's write-only `secret` */
  secret: Record<string, string>;
  /** field name → what is wrong with it */
  errors: Record<string, string>;
}

/** The value a survey field starts with. */
export function initialValue(field: SurveyVar): SurveyInput {
  if (field.type === 'select') {
    const given = field.default_value;
    return given == null ? [] : Array.isArray(given) ? given : [given];
  }
  if (field.default_value != null) {
    return Array.isArray(field.default_value) ? (field.default_value[0] ?? '') : field.default_value;
  }
  if (field.type === 'enum' && field.values && field.values.length > 0 && field.required) {
    return field.values[0].value;
  }
  return '';
}

/**
 * Turns what the user typed into the task's extra variables: numbers for `int` fields, secrets set
 * apart, required fields and enum choices checked. Empty optional fields are left out.
 */
export function surveyValues(fields: SurveyVar[], inputs: Record<string, SurveyInput>): SurveyResult {
  const result: SurveyResult = { environment: {}, secret: {}, errors: {} };
  for (const field of fields) {
    const given = inputs[field.name] ?? '';
    if (field.type === 'select') {
      const chosen = Array.isArray(given) ? given : given === '' ? [] : [given];
      const allowed = (field.values ?? []).map((v) => v.value);
      if (chosen.length === 0) {
        if (field.required) {
          result.errors[field.name] = `${field.title || field.name} is required`;
        }
      } else if (chosen.some((c) => !allowed.includes(c))) {
        result.errors[field.name] = `${field.title || field.name} must be among ${allowed.join(', ')}`;
      } else {
        result.environment[field.name] = chosen;
      }
      continue;
    }
    const raw = Array.isArray(given) ? given.join(',') : given;
    // a secret and a multi-line text are taken as typed
    const value = field.type === 'secret' || field.type === 'text' ? raw : raw.trim();
    if (value === '') {
      if (field.required) {
        result.errors[field.name] = `${field.title || field.name} is required`;
      }
      continue;
    }
    switch (field.type) {
      case 'int': {
        if (!/^-?\d+$/.test(value)) {
          result.errors[field.name] = `${field.title || field.name} must be a whole number`;
        } else {
          result.environment[field.name] = Number(value);
        }
        break;
      }
      case 'enum': {
        const allowed = (field.values ?? []).map((v) => v.value);
        if (!allowed.includes(value)) {
          result.errors[field.name] = `${field.title || field.name} must be one of ${allowed.join(', ')}`;
        } else {
          result.environment[field.name] = value;
        }
        break;
      }
      case 'secret':
        result.secret[field.name] = value;
        break;
      default:
        result.environment[field.name] = value;
    }
  }
  return result;
}

/** Splits "web1, web2 ,db" into ["web1", "web2", "db"]. */
export function commaList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
