/**
 * SLP policy of a virtual account, as the management API's own routes (Cisco publishes none: the portal
 * sets policies on the account's behalf). A POLICY document downloads as a `license smart import` file; the
 * download changes nothing (it needs only licenses.read), so the policy still rides on the device's next ACK.
 */
import { Type } from '@sinclair/typebox';
import { encodeSmartLicense, FILE_ELEMENTS, formatSlpFile, Policy, udiString } from '#protocol';
import { fail, policyDocument, policyOf, requireInstance, setVaPolicy } from '../domain/index.ts';
import type { VirtualAccount } from '../store/index.ts';
import { ciscoTime, success } from './cisco-format.ts';
import { vaRoute } from './management-handlers.ts';
import type { Route } from './route.ts';

const POLICY = '/v1/accounts/:domain/virtual-accounts/:va/slp/policy';

const SetPolicy = Type.Object(
  { policy: Type.Omit(Policy, ['origin'], { additionalProperties: false }) },
  { additionalProperties: false },
);

const FileQuery = Type.Object(
  {
    udiPid: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    udiSerialNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

const PolicyAnswer = Type.Object({ virtualAccount: Type.String(), policy: Policy });

function policyJson(va: VirtualAccount) {
  const set = va.slpPolicy;
  return { virtualAccount: va.name, policy: policyOf(va), setAt: set ? ciscoTime(set.setAt) : null };
}

export const managementSlpPolicyRoutes: Route[] = [
  vaRoute({
    method: 'GET',
    path: POLICY,
    summary: 'SLP: the policy of a virtual account (the Cisco default until a customer policy is set)',
    response: PolicyAnswer,
    permission: 'licenses.read',
    run: async ({ va }) => success(policyJson(va)),
  }),
  vaRoute({
    method: 'POST',
    path: POLICY,
    summary: 'SLP: set a customer policy (origin "Customer Policy"); it rides on each instance’s next ACK',
    request: SetPolicy,
    response: PolicyAnswer,
    permission: 'licenses.manage',
    async run({ tx, ctx, va, body }) {
      await setVaPolicy(tx, ctx, va, body.policy);
      return success(policyJson(va), `policy ${body.policy.name} set on ${va.name}`);
    },
  }),
  vaRoute({
    method: 'POST',
    path: `${POLICY}/reset`,
    summary: 'SLP: go back to the Cisco default policy (sent with each instance’s next ACK)',
    response: PolicyAnswer,
    permission: 'licenses.manage',
    async run({ tx, ctx, va }) {
      await setVaPolicy(tx, ctx, va, null);
      return success(policyJson(va), `policy of ${va.name} reset to the Cisco default`);
    },
  }),
  vaRoute({
    method: 'GET',
    path: `${POLICY}/file`,
    summary:
      'SLP: a POLICY document as a license smart import file, for the VA or one product instance (udiPid, udiSerialNumber); a read: the policy still rides on the next ACK',
    query: FileQuery,
    response: Type.Object({ fileName: Type.String(), file: Type.String(), smartLicense: Type.String() }),
    errors: ['404 INSTANCE_NOT_FOUND'],
    permission: 'licenses.read',
    async run({ tx, ctx, va, query }) {
      if ((query.udiPid === undefined) !== (query.udiSerialNumber === undefined))
        fail('INVALID_VALUE', 'name a product instance with both udiPid and udiSerialNumber, or neither for the VA');
      const instance =
        query.udiPid !== undefined
          ? await requireInstance(tx, { pid: query.udiPid, sn: query.udiSerialNumber! }, va)
          : undefined;
      const document = await policyDocument(tx, ctx, va, instance);
      const fileName = `policy_${(instance ? udiString(instance.udi) : va.name).replace(/[^A-Za-z0-9_.-]+/g, '_')}.txt`;
      return success({
        fileName,
        file: formatSlpFile([{ element: FILE_ELEMENTS.POLICY, value: document }]),
        smartLicense: encodeSmartLicense(document),
      });
    },
  }),
];
