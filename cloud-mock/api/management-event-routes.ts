/**
 * The event log and the alerts of a smart account. Cisco publishes no event-log API; the path and the
 * fields are the lab's (cloud-mock/README.md). Alerts follow On-Prem's alerts API (cssm-api.md §3).
 */
import { Type } from '@sinclair/typebox';
import { accountAlerts, can } from '../domain/index.ts';
import type { CloudEvent } from '../store/index.ts';
import { ciscoTime, page, success } from './cisco-format.ts';
import { accountFor, asCaller, managementRoute, vaNames, vasFor } from './management-access.ts';
import { DEFAULT_LIMIT, VaName, VaPageBody } from './management-schemas.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody, validate } from './validate.ts';

const EventsQuery = Type.Object({
  virtualAccount: Type.Optional(VaName),
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'eventId to read after (oldest first)' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '≤ 1000, default 100' })),
});

export const managementEventRoutes: Route[] = [
  managementRoute({
    method: 'GET',
    path: '/v1/accounts/:domain/events',
    summary: 'The event log: what changed, who did it, when (lab clock); denials included',
    query: EventsQuery,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'events.read', true);
          const q = validate(EventsQuery, Object.fromEntries(input.req.query), 'query');
          const limit = Math.min(Number(q.limit ?? 100), 1000);
          const afterSeq = Number(q.after ?? 0);
          const wholeAccount = can(s.caller, 'events.read', account) && q.virtualAccount === undefined;
          let events: CloudEvent[];
          if (wholeAccount) events = await s.tx.events({ accountId: account.id, afterSeq, limit });
          else {
            const vas = await vasFor(s, account, q.virtualAccount === undefined ? undefined : [q.virtualAccount], 'events.read');
            events = (await Promise.all(vas.map((va) => s.tx.events({ accountId: account.id, vaId: va.id, afterSeq, limit })))).flat().sort((a, b) => a.seq - b.seq).slice(0, limit);
          }
          const names = await vaNames(s.tx, account);
          return success({
            events: events.map((e) => ({
              eventId: e.seq,
              eventTime: ciscoTime(e.at),
              eventType: e.kind,
              user: e.actor,
              virtualAccount: e.vaId ? (names.get(e.vaId) ?? null) : null,
              message: e.message,
              details: e.data,
            })),
          });
        }),
      );
    },
  }),
  managementRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/alerts',
    summary: 'Alerts: insufficient licenses, licenses expiring, product instances that stopped connecting',
    request: VaPageBody,
    async handler(input) {
      return json(
        200,
        await asCaller(input, async (s) => {
          const account = await accountFor(s, input.params.domain!, 'alerts.read', true);
          const body = jsonBody(input.req, VaPageBody);
          const now = s.ctx.clock.now();
          const alerts = [];
          for (const va of await vasFor(s, account, body.virtualAccounts, 'alerts.read')) alerts.push(...(await accountAlerts(s.tx, account, now, va)));
          return success({ totalRecords: alerts.length, alerts: page(alerts, body.limit ?? DEFAULT_LIMIT, body.offset ?? 0) });
        }),
      );
    },
  }),
];
