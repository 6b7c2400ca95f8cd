/**
 * YAML files users write (topologies, scenarios), read so that every error names file:line:column: the
 * document with its line counter, a `fail(path, what)` that points at the value (or key) a path names,
 * and TypeBox schema errors worded for a person (the unknown key and the valid ones, the choices of a
 * union, a number YAML read where a string was meant).
 */
import type { TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';
import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

export type Path = readonly (string | number)[];

/** A mistake in a file a user wrote, where it is: `file:line:column: what`. */
export class SourceError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The message without its place. */
  readonly what: string;
  constructor(file: string, line: number, column: number, what: string) {
    super(`${file}:${line}:${column}: ${what}`);
    this.what = what;
    this.file = file;
    this.line = line;
    this.column = column;
  }
}
export type Fail = (path: Path, what: string, at?: 'value' | 'key') => never;

/** The file's value, and `fail` for it; a syntax error is thrown through `error` at once. */
export function readYaml(
  text: string,
  error: (line: number, column: number, what: string) => Error,
): { value: unknown; fail: Fail; source: (path: Path) => string; lineOf: (path: Path) => number } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const fail: Fail = (path, what, at = 'value') => {
    const { line, col } = lines.linePos(offsetOf(doc, path, at));
    throw error(line, col, what);
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const { line, col } = lines.linePos(syntax.pos[0]);
    throw error(line, col, `not valid YAML: ${syntax.message.split('\n')[0]}`);
  }
  // The text of one node, on the lines and columns it has in the file: a document nested in another (a
  // scenario's inline topology) parsed on its own still fails at the file's own line and column.
  const source = (path: Path): string => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    const [start, end] = node?.range ?? [0, 0];
    const { line, col } = lines.linePos(start);
    return '\n'.repeat(line - 1) + ' '.repeat(col - 1) + text.slice(start, end);
  };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (err) {
    // Aliases are resolved here: an unknown anchor, or so many aliases the document would explode.
    const { line, col } = lines.linePos((doc.contents?.range?.[0] as number | undefined) ?? 0);
    throw error(line, col, `not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const lineOf = (path: Path): number => lines.linePos(offsetOf(doc, path, 'value')).line;
  return { value, fail, source, lineOf };
}

/** Fails at the first place `value` does not fit `schema`. */
export function checkSchema(schema: TSchema, value: unknown, fail: Fail): void {
  const first = Value.Errors(schema, value).First();
  if (first) fail(...describeError(first));
}

/** Where a path points: its value (or key), else the nearest node above it that exists. */
function offsetOf(doc: Document, path: Path, at: 'value' | 'key'): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents?.range?.[0] as number | undefined) ?? 0;
  for (const [i, segment] of path.entries()) {
    if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as { range?: [number] } | undefined;
      offset = item?.range?.[0] ?? offset;
      node = item;
      continue;
    }
    if (!isMap(node)) break;
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === segment);
    if (!pair) break;
    const target = at === 'key' && i === path.length - 1 ? pair.key : pair.value;
    offset = (target as { range?: [number] } | null)?.range?.[0] ?? offset;
    node = pair.value;
  }
  return offset;
}

function describeError(e: ValueError): [Path, string, 'value' | 'key'] {
  const path = e.path
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const name = path.at(-1) ?? 'topology';
  const schema = e.schema as { properties?: object; anyOf?: { const?: unknown }[]; description?: string };
  const got = JSON.stringify(e.value);
  switch (e.type) {
    case ValueErrorType.ObjectAdditionalProperties:
      return [path, `unknown key "${name}"; valid keys: ${Object.keys(schema.properties ?? {}).join(', ')}`, 'key'];
    case ValueErrorType.ObjectRequiredProperty:
      return [path.slice(0, -1), `missing "${name}"`, 'value'];
    case ValueErrorType.Union: {
      const consts = schema.anyOf?.map((s) => s.const);
      if (consts && consts.every((c) => typeof c === 'string'))
        return [path, `${name} must be one of ${consts.join(', ')}, got ${got}`, 'value'];
      return [path, `${name} must be ${schema.description ?? 'one of the allowed forms'}, got ${got}`, 'value'];
    }
    case ValueErrorType.String:
      if (typeof e.value === 'number')
        return [path, `${name} must be a string: quote it ("${e.value}"), or YAML reads it as a number`, 'value'];
      return [path, `${name}: expected a string, got ${got}`, 'value'];
    default:
      return [path, `${name}: ${e.message.charAt(0).toLowerCase()}${e.message.slice(1)}, got ${got}`, 'value'];
  }
}
