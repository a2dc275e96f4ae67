// Keycloak's temporary bootstrap admin, created in the master realm on the first start only
// (docs/guides/server/bootstrap-admin-recovery.adoc): a user for operators and a service account
// (client credentials) that the reconcile Job signs in with. Both read one generated Secret.
import type { BuildContext } from '../../platform/context';
import { literal, randomValue } from '../../platform/secrets';
import { KEYCLOAK_SERVICE } from '../contract';

export const KEYCLOAK_ADMIN_SECRET = 'keycloak-admin';
export const ADMIN_USERNAME = 'admin';
export const ADMIN_CLIENT_ID = 'platform-reconciler';

export function planAdminSecret(ctx: BuildContext): void {
  ctx.addSecret({
    name: KEYCLOAK_ADMIN_SECRET,
    namespace: ctx.namespaceOf(KEYCLOAK_SERVICE),
    service: KEYCLOAK_SERVICE,
    data: {
      username: literal(ADMIN_USERNAME),
      password: randomValue(`${KEYCLOAK_SERVICE}/admin-password`),
      'client-id': literal(ADMIN_CLIENT_ID),
      'client-secret': randomValue(`${KEYCLOAK_SERVICE}/admin-client-secret`),
    },
  });
}
