import type { SurveyVar } from '../api/types';

export interface SurveyResult {
  /** non-secret values, for the task's `environment` (extra variables) */
  environment: Record<string, string | number>;
  /** secret values, for the task's write-only `secret` */
  secret: Record<string, string>;
  /** field name → what is wrong with it */
  errors: Record<string, string>;
}

/** The value a survey field starts with. */
export function initialValue(field: SurveyVar): string {
  if (field.default_value != null) {
    return field.default_value;
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
export function surveyValues(fields: SurveyVar[], inputs: Record<string, string>): SurveyResult {
  const result: SurveyResult = { environment: {}, secret: {}, errors: {} };
  for (const field of fields) {
    const raw = inputs[field.name] ?? '';
    const value = field.type === 'secret' ? raw : raw.trim();
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
