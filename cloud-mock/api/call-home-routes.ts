/** Device-facing license call-home (protocol/call-home.ts): install from a PAK, resend, revoke; the signing key. */
import {
  callHomePaths,
  CallHomeInstallRequest,
  CallHomeLicenseResponse,
  CallHomeResendRequest,
  CallHomeRevokeRequest,
  CallHomeRevokeResponse,
  SigningKeyResponse,
  udiString,
} from '#protocol';
import { callHomeInstall, callHomeResend, callHomeRevoke, verifyCallHomeLogin } from '../domain/index.ts';
import { issuedLicensesBrief } from './portal-format.ts';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { jsonBody } from './validate.ts';

const loginErrors = ['401 CALL_HOME_LOGIN_FAILED'];

export const callHomeRoutes: Route[] = [
  {
    method: 'POST',
    path: callHomePaths.install,
    tag: 'device',
    summary: '`license call-home install pak`: fulfil a PAK for the calling device; answers its license file',
    request: CallHomeInstallRequest,
    response: CallHomeLicenseResponse,
    errors: [...loginErrors, '404 PAK_NOT_FOUND', '409 PAK_EXHAUSTED'],
    async handler({ req, app }) {
      const body = jsonBody(req, CallHomeInstallRequest);
      const user = await verifyCallHomeLogin(app.service, body.login);
      const issued = await app.service.run(`device:${udiString(body.udi)}`, (tx, ctx) =>
        callHomeInstall(tx, ctx, user, body),
      );
      const answer: CallHomeLicenseResponse = {
        status: 'INSTALLABLE',
        licenseFile: issued.licenseFile,
        fileName: issued.fileName,
        licenses: issuedLicensesBrief(issued),
      };
      return json(200, answer);
    },
  },
  {
    method: 'POST',
    path: callHomePaths.resend,
    tag: 'device',
    summary: '`license call-home resend`: every active license of the calling device, as issued',
    request: CallHomeResendRequest,
    response: CallHomeLicenseResponse,
    errors: [...loginErrors, '404 LICENSE_NOT_FOUND'],
    async handler({ req, app }) {
      const body = jsonBody(req, CallHomeResendRequest);
      const user = await verifyCallHomeLogin(app.service, body.login);
      const issued = await app.service.run(`device:${udiString(body.udi)}`, (tx, ctx) =>
        callHomeResend(tx, ctx, user, body.udi),
      );
      const answer: CallHomeLicenseResponse = {
        status: 'RESENT',
        licenseFile: issued.licenseFile,
        fileName: issued.fileName,
        licenses: issuedLicensesBrief(issued),
      };
      return json(200, answer);
    },
  },
  {
    method: 'POST',
    path: callHomePaths.revoke,
    tag: 'device',
    summary: '`license call-home revoke udi <target>`: revoke here (60-day grace lines) and license the target',
    request: CallHomeRevokeRequest,
    response: CallHomeRevokeResponse,
    errors: [...loginErrors, '404 LICENSE_NOT_FOUND', '400 SKU_NOT_FOR_PLATFORM'],
    async handler({ req, app }) {
      const body = jsonBody(req, CallHomeRevokeRequest);
      const user = await verifyCallHomeLogin(app.service, body.login);
      const r = await app.service.run(`device:${udiString(body.udi)}`, (tx, ctx) =>
        callHomeRevoke(tx, ctx, user, body),
      );
      const answer: CallHomeRevokeResponse = {
        status: 'REVOKED',
        revoked: r.revoked,
        graceLicenseFile: r.grace.licenseFile,
        licenseFile: r.target.licenseFile,
        fileName: r.target.fileName,
      };
      return json(200, answer);
    },
  },
  {
    method: 'GET',
    path: callHomePaths.signingKey,
    tag: 'device',
    summary: 'The public key license lines are signed with (PEM, Ed25519) and its key id',
    response: SigningKeyResponse,
    async handler({ app }) {
      const key = app.service.licenseKey;
      const answer: SigningKeyResponse = {
        algorithm: 'Ed25519',
        keyId: key.keyId,
        issuer: key.issuer,
        publicKey: key.publicKeyPem,
      };
      return json(200, answer);
    },
  },
];
