import { Textarea } from '@mantine/core';

/**
 * A monospaced editor for INI, YAML and JSON. When the server rejects the text with a message
 * naming a line ("line 3: ..."), that line is pointed out under the field.
 */
export function CodeEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  description?: string;
  minRows?: number;
}) {
  const line = props.error ? lineOf(props.error) : null;
  const shown = line != null ? `${props.error} → "${props.value.split('\n')[line - 1] ?? ''}"` : props.error;
  return (
    <Textarea
      label={props.label}
      description={props.description}
      value={props.value}
      onChange={(e) => props.onChange(e.currentTarget.value)}
      error={shown || undefined}
      autosize
      minRows={props.minRows ?? 5}
      maxRows={20}
      spellCheck={false}
      styles={{ input: { fontFamily: 'monospace', fontSize: 13 } }}
    />
  );
}

/** The line number a server message names ("line 3", "at line 3"), if any. */
export function lineOf(message: string): number | null {
  const match = /line (\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}
