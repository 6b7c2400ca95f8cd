/**
 * The event log and the alerts of a smart account. Cisco publishes no event-log API; the path and the
 * fields are the lab's (cloud-mock/README.md). Alerts follow On-Prem's alerts API (cssm-api.md §3).
 */
import { Type } from '@sinclair/typebox';
import { accountAlerts, can } from '../domain/index.ts';
import type { CloudEvent } from '../store/index.ts';
import { ciscoTime, success } from './cisco-format.ts';
import { vaNames, vasFor } from './management-access.ts';
import { accountRoute, vaPage } from './management-handlers.ts';
import { VaName, VaPageBody } from './management-schemas.ts';
import type { Route } from './route.ts';

const EventsQuery = Type.Object({
  virtualAccount: Type.Optional(VaName),
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'eventId to read after (oldest first)' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$', description: '≤ 1000, default 100' })),
});

export const managementEventRoutes: Route[] = [
  accountRoute({
    method: 'GET',
    path: '/v1/accounts/:domain/events',
    summary: 'The event log: what changed, who did it, when (lab clock); denials included',
    query: EventsQuery,
    permission: 'events.read',
    vaLevel: true,
    async run(c) {
      const { tx, account, query: q } = c;
      const limit = Math.min(Number(q.limit ?? 100), 1000);
      const afterSeq = Number(q.after ?? 0);
      const wholeAccount = can(c.caller, 'events.read', account) && q.virtualAccount === undefined;
      let events: CloudEvent[];
      if (wholeAccount) events = await tx.events({ accountId: account.id, afterSeq, limit });
      else {
        const vas = await vasFor(
          c,
          account,
          q.virtualAccount === undefined ? undefined : [q.virtualAccount],
          'events.read',
        );
        events = (
          await Promise.all(vas.map((va) => tx.events({ accountId: account.id, vaId: va.id, afterSeq, limit })))
        )
          .flat()
          .sort((a, b) => a.seq - b.seq)
          .slice(0, limit);
      }
      const names = await vaNames(tx, account);
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
    },
  }),
  accountRoute({
    method: 'POST',
    path: '/v1/accounts/:domain/alerts',
    summary: 'Alerts: insufficient licenses, licenses expiring, product instances that stopped connecting',
    request: VaPageBody,
    permission: 'alerts.read',
    vaLevel: true,
    run(c) {
      const now = c.ctx.clock.now();
      return vaPage(c, 'alerts.read', 'alerts', (va) => accountAlerts(c.tx, c.account, now, va));
    },
  }),
];
