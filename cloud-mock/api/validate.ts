/** Body parsing and schema validation shared by every route. */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { fail } from '../domain/index.ts';
import type { LabRequest } from './http-types.ts';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let c = compiled.get(schema);
  if (!c) compiled.set(schema, (c = TypeCompiler.Compile(schema)));
  return c as TypeCheck<T>;
}

/** Validates an already-parsed value; SCHEMA_VIOLATION names the first offending fields. */
export function validate<T extends TSchema>(schema: T, value: unknown, what = 'body'): Static<T> {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return value;
  const problems = [...checker.Errors(value)]
    .slice(0, 5)
    .map((e) => ({ path: `${what}${e.path || ''}`, message: e.message }));
  fail('SCHEMA_VIOLATION', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

export function requireJsonContent(req: LabRequest, also: string[] = []): void {
  const type = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json') && !also.includes(type)) {
    fail(
      'UNSUPPORTED_MEDIA_TYPE',
      `content-type "${type}" is not accepted here; send application/json${also.length ? ` or ${also.join(', ')}` : ''}`,
    );
  }
}

/** `parse` is JSON.parse unless a route needs its own reading (SLP bodies keep big poll ids as digits). */
export function parseJson(text: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(text);
  } catch (err) {
    fail('MALFORMED_JSON', `the body is not valid JSON: ${(err as Error).message}`);
  }
}

export function jsonBody<T extends TSchema>(req: LabRequest, schema: T, parse?: (text: string) => unknown): Static<T> {
  requireJsonContent(req);
  if (req.body.length === 0) fail('MALFORMED_JSON', 'the body is empty; this route needs a JSON object');
  return validate(schema, parseJson(req.body.toString('utf8'), parse));
}

/**
 * A route without a request schema takes no body: anything but whitespace or `{}` (what API clients such as
 * Postman send on a bodiless POST) is refused, not ignored.
 */
export function refuseBody(req: LabRequest): void {
  if (req.body.length === 0) return;
  const text = req.body.toString('utf8').trim();
  if (text !== '' && !/^\{\s*\}$/.test(text))
    fail('SCHEMA_VIOLATION', `${req.method} ${req.path} takes no body; send none (or {})`);
}
