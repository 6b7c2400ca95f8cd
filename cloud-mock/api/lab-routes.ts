/** Lab control under /lab/: health, reset, seed, clock, faults, the CA certificate, the event log. */
import { Type } from '@sinclair/typebox';
import { MAX_EPOCH_MS, DAY } from '#protocol';
import { fail } from '../domain/index.ts';
import { applySeed, parseSeed, SeedDocument, SeedResult } from '../seed/index.ts';
import { FaultRuleInput } from './faults.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody, requireJsonContent, validate } from './validate.ts';

const SEED_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'];
const MAX_LAB_TIME = MAX_EPOCH_MS - 2 * 366 * DAY;

const ClockSet = Type.Object(
  {
    advanceMs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'advance lab time by this many ms, firing due timers' }),
    ),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time to advance to (not backwards)' })),
  },
  { additionalProperties: false },
);

/** A reset deletes everything: it takes an explicit confirmation, so a stray POST cannot do it. */
const ResetConfirm = Type.Object(
  { confirm: Type.Literal(true, { description: 'must be true: the reset deletes every record' }) },
  { additionalProperties: false },
);

const EventsQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
});

export const labRoutes: Route[] = [
  {
    method: 'GET',
    path: '/lab/health',
    tag: 'lab',
    summary: 'Liveness and what the cloud runs on (no lab key needed)',
    keyless: true,
    async handler({ app }) {
      return json(200, {
        status: 'UP',
        store: app.service.store.dialect,
        now: new Date(app.clock.now()).toISOString(),
      });
    },
  },
  {
    method: 'POST',
    path: '/lab/reset',
    tag: 'lab',
    summary:
      'Delete every account, token, pool, product instance, PAK, issued license and event; clear fault rules. The CA and the license signing key stay. Body {"confirm": true}.',
    request: ResetConfirm,
    async handler({ req, app }) {
      jsonBody(req, ResetConfirm);
      await app.service.reset();
      app.faults.clear();
      return json(200, { status: 'RESET' });
    },
  },
  {
    method: 'POST',
    path: '/lab/seed',
    tag: 'lab',
    summary: 'Apply a seed document (YAML or JSON body) in one transaction',
    request: SeedDocument,
    requestTypes: SEED_TYPES,
    response: SeedResult,
    async handler({ req, app }) {
      requireJsonContent(req, SEED_TYPES);
      const seed = parseSeed(req.body.toString('utf8'), 'the seed body');
      return json(200, await applySeed(app.service, seed));
    },
  },
  {
    method: 'GET',
    path: '/lab/clock',
    tag: 'lab',
    summary: 'Read the lab clock',
    async handler({ app }) {
      const now = app.clock.now();
      return json(200, {
        now,
        iso: new Date(now).toISOString(),
        stepped: app.clockControl !== undefined,
        ...(app.clock.describe?.() as object | undefined),
      });
    },
  },
  {
    method: 'POST',
    path: '/lab/clock',
    tag: 'lab',
    summary: 'Advance the lab clock (stepped mode only)',
    request: ClockSet,
    errors: ['409 CLOCK_NOT_STEPPED'],
    async handler({ req, app }) {
      const body = jsonBody(req, ClockSet);
      if (!app.clockControl)
        fail('CLOCK_NOT_STEPPED', 'this cloud runs on a real-time clock; start it with --step to set the clock');
      if ((body.advanceMs === undefined) === (body.to === undefined))
        fail('INVALID_VALUE', 'give exactly one of advanceMs or to');
      const now = app.clock.now();
      const t = body.advanceMs !== undefined ? now + body.advanceMs : Date.parse(body.to!);
      if (Number.isNaN(t)) fail('INVALID_VALUE', `"to" is not an ISO 8601 time: ${JSON.stringify(body.to)}`);
      if (t < now)
        fail(
          'INVALID_VALUE',
          `"to" ${body.to} is before the lab clock ${new Date(now).toISOString()}; the clock does not go back`,
        );
      // Leave room for the one-year certificates the cloud issues (X.509 dates end at year 9999).
      if (t > MAX_LAB_TIME)
        fail(
          'INVALID_VALUE',
          `the lab clock cannot pass ${new Date(MAX_LAB_TIME).toISOString()}; asked for ${body.to ?? `+${body.advanceMs} ms`}`,
        );
      await app.clockControl.advanceTo(t);
      return json(200, { now: app.clock.now(), iso: new Date(app.clock.now()).toISOString() });
    },
  },
  {
    method: 'GET',
    path: '/lab/faults',
    tag: 'lab',
    summary: 'List fault rules',
    async handler({ app }) {
      return json(200, { faults: app.faults.list() });
    },
  },
  {
    method: 'POST',
    path: '/lab/faults',
    tag: 'lab',
    summary: 'Add a fault rule: answer a status, delay (lab time) or drop requests whose path matches',
    request: FaultRuleInput,
    async handler({ req, app }) {
      return json(200, app.faults.add(jsonBody(req, FaultRuleInput)));
    },
  },
  {
    method: 'DELETE',
    path: '/lab/faults',
    tag: 'lab',
    summary: 'Remove every fault rule',
    async handler({ app }) {
      app.faults.clear();
      return json(200, { faults: [] });
    },
  },
  {
    method: 'DELETE',
    path: '/lab/faults/:id',
    tag: 'lab',
    summary: 'Remove one fault rule',
    errors: ['404 ROUTE_NOT_FOUND when no rule has this id'],
    async handler({ params, app }) {
      if (!app.faults.remove(params.id!)) fail('ROUTE_NOT_FOUND', `no fault rule has id ${params.id}`);
      return json(200, { faults: app.faults.list() });
    },
  },
  {
    method: 'GET',
    path: '/lab/ca',
    tag: 'lab',
    summary: 'The mock CA certificate (PEM) that signs ID certificates and every response (no lab key needed)',
    keyless: true,
    async handler({ app }) {
      return json(200, { certificate: app.service.ca.certPem, keyId: app.service.ca.keyId });
    },
  },
  {
    method: 'GET',
    path: '/lab/events',
    tag: 'lab',
    summary: 'The event log of every account, oldest first (after=<seq>, limit ≤ 1000)',
    async handler({ req, app }) {
      const q = validate(EventsQuery, Object.fromEntries(req.query), 'query');
      const limit = Math.min(Number(q.limit ?? 100), 1000);
      const events = await app.service.run('lab', (tx) => tx.events({ afterSeq: Number(q.after ?? 0), limit }));
      return json(200, { events });
    },
  },
];
