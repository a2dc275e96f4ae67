// Keycloak's CA in the coordinator pod, for its back channel over HTTPS: Trino's OAuth2 and JWT
// key clients (a PEM trust store, trino/config.ts) and the group sync (group-sync.py) read it from
// one volume. Absent when the identity provider runs outside the platform: its URL is then
// trusted as the system trusts it.
import type { k8s } from 'cdk8s-plus-28';
import { identityCa, identityCaVolume } from '../../governance/contract';
import type { BuildContext } from '../../platform/context';
import { TRINO_SERVICE } from './names';

const IDENTITY_CA_DIR = '/etc/trino-identity-ca';
const VOLUME = 'identity-ca';

export interface CoordinatorIdentityCa {
  /** The CA certificate (PEM) as the containers see it. */
  file: string;
  volume: k8s.Volume;
  mount: k8s.VolumeMount;
}

export function coordinatorIdentityCa(ctx: BuildContext): CoordinatorIdentityCa | undefined {
  const ca = identityCa(ctx, TRINO_SERVICE);
  if (!ca) return undefined;
  return {
    file: `${IDENTITY_CA_DIR}/${ca.key}`,
    volume: identityCaVolume(VOLUME, ca),
    mount: { name: VOLUME, mountPath: IDENTITY_CA_DIR, readOnly: true },
  };
}
