/**
 * Smart Licensing Using Policy over a device's direct Smart transport (protocol/slp.ts, slpDevicePaths):
 * trust (`license smart trust idtoken`), RUM report upload and poll. Every request is signed over its body
 * bytes (X-Lab-Signature) and counts once (UDI + nonce, as the classic device routes); errors are swapi's
 * `status: "FAILED"` beside the catalogue body.
 */
import {
  encodeSmartLicense,
  headers,
  parseSlpJson,
  SLP_POLL_INTERVAL_S,
  slpDevicePaths,
  slpSchemas,
  stringifySlpJson,
  type PollAction,
  type TrustResponse,
} from '#protocol';
import {
  acceptUsage,
  answerPoll,
  authenticateTrusted,
  checkProofOfPossession,
  checkTrustClock,
  DomainError,
  fail,
  requestAuthorization,
  requirePoll,
  trustInstance,
  udiOfSudi,
} from '../domain/index.ts';
import type { SlpPoll } from '../store/index.ts';
import { once } from './device-routes.ts';
import type { LabResponse } from './http-types.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody } from './validate.ts';

/** An SLP answer: a `poll_id` leaves as a bare JSON number of its digits (cssm-api.md §1.3.11). */
export function slpJson(status: number, body: object): LabResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(stringifySlpJson(body)),
  };
}

/** The 202 an upload or authorization request gets: where and when to poll. */
export function pollAccepted(poll: SlpPoll, nonce: string, now: number): LabResponse {
  return slpJson(202, {
    status: 'OK_POLL',
    message_code: null,
    message: null,
    timestamp: now,
    nonce,
    type: null,
    poll_id: poll.id,
    poll_interval: SLP_POLL_INTERVAL_S,
    action: poll.action,
  });
}

const signed = ['401 SIGNATURE_MISSING / SIGNATURE_INVALID / CLOCK_SKEW', '409 REQUEST_REPLAYED'];

export const slpDeviceRoutes: Route[] = [
  {
    method: 'POST',
    path: slpDevicePaths.trust,
    tag: 'device',
    envelope: 'slp',
    summary: 'SLP: ask for a trust code with a registration token (license smart trust idtoken); answers TRUST_CODE',
    request: slpSchemas.trust.request,
    response: slpSchemas.trust.response,
    errors: [
      '401 PROOF_OF_POSSESSION_FAILED',
      '400 TRUST_CLOCK_MISMATCH / KEY_INVALID',
      '404 TOKEN_UNKNOWN',
      '410 TOKEN_EXPIRED / TOKEN_REVOKED',
      '409 TOKEN_USES_EXHAUSTED / UDI_REGISTERED_ELSEWHERE / TRUST_KEY_CONFLICT / REQUEST_REPLAYED',
    ],
    async handler(input) {
      const { req } = input;
      const { data } = jsonBody(req, slpSchemas.trust.request, parseSlpJson);
      checkProofOfPossession(data.public_key, req.body, req.headers[headers.signature]);
      const document = await once(
        input,
        { udi: udiOfSudi(data.sudi), timestamp: data.timestamp, nonce: data.nonce },
        // Beyond the replay window no nonce is claimed (CLOCK_SKEW's rule), but the answer is still the trust one.
        async (_tx, ctx) => {
          if (Math.abs(data.timestamp - ctx.clock.now()) > ctx.policy.maxClockSkewMs)
            checkTrustClock(ctx, data.timestamp);
        },
        (tx, ctx) =>
          trustInstance(tx, ctx, {
            sudi: data.sudi,
            hostname: data.hostname,
            idToken: data.id_token,
            publicKey: data.public_key,
            force: data.force,
            timestamp: data.timestamp,
          }),
      );
      const answer: TrustResponse = { status: 'SUCCESS', smart_license: encodeSmartLicense(document) };
      return json(200, answer);
    },
  },
  {
    method: 'POST',
    path: slpDevicePaths.reportUsage,
    tag: 'device',
    envelope: 'slp',
    status: 202,
    summary: 'SLP: upload RUM reports, signed with the trust code key; answers 202 OK_POLL (acknowledgements)',
    request: slpSchemas.reportUsage.request,
    response: slpSchemas.reportUsage.response,
    errors: [
      ...signed,
      '403 TRUST_MISSING / RUM_KEY_MISMATCH / IDENTITY_MISMATCH',
      '400 RUM_REPORT_INVALID / KEY_INVALID',
      '409 RUM_REPORT_DUPLICATE',
    ],
    async handler(input) {
      const { req } = input;
      const { data } = jsonBody(req, slpSchemas.reportUsage.request, parseSlpJson);
      // A device uploads its own reports: the first entry names the signer, the others must be it too.
      const udi = udiOfSudi(data.reports[0]!.sudi);
      const poll = await once(
        input,
        { udi, timestamp: data.timestamp, nonce: data.nonce },
        (tx, ctx) => authenticateTrusted(tx, ctx, { udi, signature: req.headers[headers.signature], body: req.body }),
        (tx, ctx, instance) =>
          acceptUsage(tx, ctx, data.reports, { kind: 'trusted', instance }, `udi:${instance.udiKey}`),
      );
      return pollAccepted(poll, data.nonce, input.app.clock.now());
    },
  },
  {
    method: 'POST',
    path: slpDevicePaths.authRequest,
    tag: 'device',
    envelope: 'slp',
    status: 202,
    summary:
      'SLP: ask for a SLAC for export-controlled licenses (keys), or return one (keys [] + remove_code); answers 202 OK_POLL (authorizations)',
    request: slpSchemas.authRequest.request,
    response: slpSchemas.authRequest.response,
    errors: [
      ...signed,
      '403 TRUST_MISSING / EXPORT_NOT_ALLOWED / IDENTITY_MISMATCH',
      '400 ENTITLEMENT_UNKNOWN / SLAC_NOT_APPLICABLE / SLAC_RETURN_CODE_INVALID / INVALID_VALUE',
      '404 SLAC_NOT_FOUND',
      '409 INSUFFICIENT_LICENSES',
    ],
    async handler(input) {
      const { req } = input;
      const { data } = jsonBody(req, slpSchemas.authRequest.request, parseSlpJson);
      const udi = udiOfSudi(data.licenses[0]!.sudi);
      const poll = await once(
        input,
        { udi, timestamp: data.timestamp, nonce: data.nonce },
        (tx, ctx) => authenticateTrusted(tx, ctx, { udi, signature: req.headers[headers.signature], body: req.body }),
        (tx, ctx, instance) =>
          requestAuthorization(tx, ctx, data.licenses, { kind: 'trusted', instance }, `udi:${instance.udiKey}`),
      );
      return pollAccepted(poll, data.nonce, input.app.clock.now());
    },
  },
  {
    method: 'POST',
    path: slpDevicePaths.poll,
    tag: 'device',
    envelope: 'slp',
    summary: 'SLP: fetch the result of an upload or authorization request (OK_POLL until ready, then COMPLETE)',
    request: slpSchemas.poll.request,
    response: slpSchemas.poll.response,
    errors: [...signed, '404 POLL_UNKNOWN (an unknown poll id, or another device’s)', '403 TRUST_MISSING'],
    async handler(input) {
      const { req, app } = input;
      const { data } = jsonBody(req, slpSchemas.poll.request, parseSlpJson);
      const owner = await app.service.run('device:poll', (tx) => pollOwner(tx, data.poll_id, data.action));
      const answer = await once(
        input,
        { udi: owner.udi, timestamp: data.timestamp, nonce: data.nonce },
        async (tx, ctx) => {
          try {
            return await authenticateTrusted(tx, ctx, {
              udi: owner.udi,
              signature: req.headers[headers.signature],
              body: req.body,
            });
          } catch (err) {
            // Signed by another key: another device asking for this poll, which for it does not exist.
            if (err instanceof DomainError && err.code === 'SIGNATURE_INVALID') unknownPoll(data.poll_id, data.action);
            throw err;
          }
        },
        async (tx, ctx) => answerPoll(tx, ctx, await requirePoll(tx, data.poll_id, data.action, owner.owner)),
      );
      return slpJson(200, answer);
    },
  },
];

function unknownPoll(pollId: string, action: PollAction): never {
  fail('POLL_UNKNOWN', `no ${action} poll ${pollId} of this device`);
}

/** The device a direct-transport poll belongs to (its one item); polls of the API are unknown here. */
async function pollOwner(tx: Parameters<typeof requirePoll>[0], pollId: string, action: PollAction) {
  const poll = await requirePoll(tx, pollId, action);
  if (!poll.owner.startsWith('udi:') || !poll.items[0]) unknownPoll(pollId, action);
  return { owner: poll.owner, udi: udiOfSudi(poll.items[0].sudi) };
}
