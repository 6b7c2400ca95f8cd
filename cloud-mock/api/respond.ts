/** Building answers: JSON bodies and errors from the one catalogue. No stack trace ever leaves the cloud. */
import { statusOf, type ErrorBody, type ErrorCode } from '#protocol';
import { DomainError } from '../domain/index.ts';
import { StoreError, StoreValueError } from '../store/index.ts';
import type { LabResponse } from './http-types.ts';

/**
 * How a route's errors are shaped: `lab` is the catalogue body; `classic` adds Cisco's
 * `status: "ERROR"` / `statusMessage` (cssm-api.md §1.4) beside it; `oauth` is RFC 6749 §5.2
 * (`error`, `error_description`) with the catalogue code in `code`; `slp` is swapi's SLP failure
 * (`status: "FAILED"`, `message`, `message_code`: the catalogue code; cssm-api.md §1.4) beside it.
 */
export type ErrorEnvelope = 'lab' | 'classic' | 'oauth' | 'slp';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): LabResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(value)),
  };
}

const oauthErrors: Partial<Record<ErrorCode, string>> = {
  OAUTH_INVALID_CLIENT: 'invalid_client',
  OAUTH_INVALID_GRANT: 'invalid_grant',
  OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  RATE_LIMITED: 'temporarily_unavailable',
  STORE_UNAVAILABLE: 'temporarily_unavailable',
  INTERNAL_ERROR: 'server_error',
};

/** Headers some refusals carry: Retry-After (RFC 9110 §10.2.3), WWW-Authenticate (RFC 6750 §3, RFC 6749 §5.2). */
function errorHeaders(code: ErrorCode, details: unknown): Record<string, string> {
  if (code === 'RATE_LIMITED')
    return { 'retry-after': String((details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 1) };
  if (code === 'ACCESS_TOKEN_MISSING') return { 'www-authenticate': 'Bearer realm="license-lab"' };
  if (code === 'ACCESS_TOKEN_INVALID')
    return { 'www-authenticate': 'Bearer realm="license-lab", error="invalid_token"' };
  if (code === 'OAUTH_INVALID_CLIENT') return { 'www-authenticate': 'Basic realm="license-lab"' };
  if (code === 'LAB_KEY_MISSING' || code === 'LAB_KEY_INVALID')
    return { 'www-authenticate': 'Bearer realm="license-lab control"' };
  return {};
}

export function errorResponse(
  code: ErrorCode,
  message: string,
  details?: unknown,
  status = statusOf(code),
  envelope: ErrorEnvelope = 'lab',
): LabResponse {
  const headers = errorHeaders(code, details);
  if (envelope === 'oauth')
    return json(
      status,
      { error: oauthErrors[code] ?? 'invalid_request', error_description: message, code },
      { ...headers, 'cache-control': 'no-store' },
    );
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  const wrapped =
    envelope === 'classic'
      ? { status: 'ERROR', statusMessage: message, ...body }
      : envelope === 'slp'
        ? { status: 'FAILED', message, message_code: code, ...body }
        : body;
  return json(status, wrapped, headers);
}

/** Turns anything thrown by a handler into a catalogue answer; only true defects are logged. */
export function fromError(err: unknown, log: (line: string) => void, envelope: ErrorEnvelope = 'lab'): LabResponse {
  if (err instanceof DomainError) return errorResponse(err.code, err.message, err.details, undefined, envelope);
  if (err instanceof StoreValueError)
    return errorResponse('INVALID_VALUE', `${err.message}; nothing was written`, undefined, undefined, envelope);
  if (err instanceof StoreError) return errorResponse('STORE_UNAVAILABLE', err.message, undefined, undefined, envelope);
  log(`[cloud] internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return errorResponse(
    'INTERNAL_ERROR',
    'the cloud mock hit a defect; the request was not applied (details are in the cloud log)',
    undefined,
    undefined,
    envelope,
  );
}
