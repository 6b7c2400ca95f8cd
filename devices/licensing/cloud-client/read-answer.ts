/**
 * Turns one transport result into a CloudResult. A 5xx or 429 is a communication failure whatever its
 * body (a proxy's error page is not signed, and a real agent reports the failed send, not the page).
 * Otherwise the cloud's signature over the exact body bytes is checked first (an answer that does not
 * verify is never believed, errors included), then the JSON, then the operation's response schema for
 * 200 and the error catalogue for 4xx.
 */
import type { KeyObject } from 'node:crypto';
import type { Static, TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import {
  deviceSchemas,
  errorCatalogue,
  headers as h,
  verifyBytes,
  type DeviceOperation,
  type ErrorCode,
} from '#protocol';
import type { CloudResult } from './cloud-result.ts';
import { commFailureReason, refusalReason, type CommFailureCase, type TransportType } from './failure-reasons.ts';
import type { TransportResult } from './transport.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// TypeBox refuses formats it does not know; the protocol's dates are ISO 8601 (messages.ts IsoDate).
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (v) => ISO_DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)));

type ResponseOf<Op extends DeviceOperation> = Static<(typeof deviceSchemas)[Op]['response']>;

const checkers = Object.fromEntries(
  Object.entries(deviceSchemas).map(([op, s]) => [op, TypeCompiler.Compile(s.response as TSchema)]),
) as Record<DeviceOperation, TypeCheck<TSchema>>;

/** Statuses that mean "not now" rather than "no": the server is overloaded or failing. */
function isServerTrouble(status: number): boolean {
  return status >= 500 || status === 429;
}

export function readAnswer<Op extends DeviceOperation>(
  op: Op,
  result: TransportResult,
  trustKey: KeyObject,
  transport: TransportType,
): CloudResult<ResponseOf<Op>> {
  return readAnswerWith<ResponseOf<Op>>(result, { trustKey, transport, check: checkers[op] });
}

export interface AnswerRules<T> {
  /** The key the body's signature must verify with; absent: the answer is not signed (a CSLU's). */
  trustKey?: KeyObject;
  transport: TransportType;
  check: TypeCheck<TSchema> | { Check(value: unknown): value is T };
  /** Success statuses (SLP uploads answer 202); default 200. */
  okStatuses?: readonly number[];
  /** Body text to JSON (SLP keeps big poll ids as digits); default JSON.parse. */
  parse?: (text: string) => unknown;
}

/** Any protocol's answer: the same order of checks, with that protocol's schema and statuses. */
export function readAnswerWith<T>(result: TransportResult, rules: AnswerRules<T>): CloudResult<T> {
  const comm = (c: CommFailureCase): CloudResult<never> => ({
    ok: false,
    kind: 'comm',
    reason: commFailureReason(c, rules.transport),
  });
  if (!result.ok) return comm(result.failure.kind);
  const { status, body } = result;
  if (isServerTrouble(status)) return comm('serverError');
  if (rules.trustKey) {
    const signature = result.headers[h.signature];
    if (!signature) return comm('signatureMissing');
    if (!verifyBytes(body, signature, rules.trustKey)) return comm('signatureInvalid');
  }
  let json: unknown;
  try {
    json = (rules.parse ?? JSON.parse)(body.toString('utf8'));
  } catch {
    return comm('malformedBody');
  }
  if ((rules.okStatuses ?? [200]).includes(status))
    return rules.check.Check(json) ? { ok: true, body: json as T } : comm('schemaViolation');
  if (status < 400) return comm('unexpectedStatus');
  const error = (json as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = error?.code;
  if (typeof code !== 'string' || !Object.hasOwn(errorCatalogue, code) || typeof error?.message !== 'string')
    return comm('malformedBody');
  if (code === 'FAULT_INJECTED') return comm('serverError');
  if (code === 'REQUEST_REPLAYED') return comm('replayed');
  const message = error.message;
  return {
    ok: false,
    kind: 'refused',
    code,
    status,
    message,
    reason: refusalReason(code as ErrorCode, message, rules.transport),
  };
}
