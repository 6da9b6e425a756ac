import { useEffect, useRef } from 'react';
import { Input, useComputedColorScheme } from '@mantine/core';
import { EditorView, keymap, lineNumbers, placeholder as placeholderText } from '@codemirror/view';
import { Compartment, EditorState } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, StreamLanguage, syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { properties } from '@codemirror/legacy-modes/mode/properties';
import { json } from '@codemirror/lang-json';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { tags } from '@lezer/highlight';

export type CodeLanguage = 'ini' | 'yaml' | 'json';

const LANGUAGES = {
  ini: () => StreamLanguage.define(properties),
  yaml: () => yaml(),
  json: () => json(),
};

const darkHighlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.propertyName, tags.definition(tags.propertyName)], color: '#7fd1b9' },
  { tag: [tags.string, tags.special(tags.string)], color: '#e6c07b' },
  { tag: [tags.number, tags.bool, tags.null], color: '#d19a66' },
  { tag: tags.comment, color: '#7f848e', fontStyle: 'italic' },
  { tag: [tags.heading, tags.atom], color: '#61afef' },
]);

/**
 * An editor for INI, YAML and JSON with syntax highlighting. When the server rejects the text with
 * a message naming a line ("line 3: ..."), that line is marked in the editor and the message shown
 * under it.
 */
export function CodeEditor(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  language: CodeLanguage;
  error?: string | null;
  description?: string;
  placeholder?: string;
  minRows?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const scheme = useComputedColorScheme('light');
  const theme = useRef(new Compartment());

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: props.value,
        extensions: [
          lineNumbers(),
          history(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          LANGUAGES[props.language](),
          lintGutter(),
          placeholderText(props.placeholder ?? ''),
          theme.current.of(themeFor(scheme)),
          EditorView.contentAttributes.of({ 'aria-label': props.label }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) {
              onChange.current(update.state.doc.toString());
            }
          }),
        ],
      }),
    });
    view.current = editor;
    return () => editor.destroy();
  }, [props.language]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== props.value) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: props.value } });
    }
  }, [props.value]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(themeFor(scheme)) });
  }, [scheme]);

  useEffect(() => {
    const editor = view.current;
    if (!editor) {
      return;
    }
    const line = props.error ? lineOf(props.error) : null;
    const diagnostics =
      line != null && line >= 1 && line <= editor.state.doc.lines
        ? [{ from: editor.state.doc.line(line).from, to: editor.state.doc.line(line).to, severity: 'error' as const, message: props.error! }]
        : [];
    editor.dispatch(setDiagnostics(editor.state, diagnostics));
  }, [props.error, props.value]);

  return (
    <Input.Wrapper label={props.label} description={props.description} error={props.error || undefined}>
      <div
        ref={host}
        style={{
          border: '1px solid var(--mantine-color-default-border)',
          borderColor: props.error ? 'var(--mantine-color-error)' : undefined,
          borderRadius: 4,
          minHeight: (props.minRows ?? 5) * 20,
          fontSize: 13,
        }}
      />
    </Input.Wrapper>
  );
}

function themeFor(scheme: 'light' | 'dark') {
  return [
    EditorView.theme(
      {
        '&': { backgroundColor: 'transparent', color: 'inherit', maxHeight: '400px' },
        '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
        '.cm-gutters': { backgroundColor: 'transparent', border: 'none', color: 'var(--mantine-color-dimmed)' },
        '&.cm-focused': { outline: '2px solid var(--mantine-primary-color-filled)' },
      },
      { dark: scheme === 'dark' },
    ),
    syntaxHighlighting(scheme === 'dark' ? darkHighlight : defaultHighlightStyle),
  ];
}

/** The line number a server message names ("line 3", "at line 3"), if any. */
export function lineOf(message: string): number | null {
  const match = /line (\d+)/i.exec(message);
  return match ? Number(match[1]) : null;
}
