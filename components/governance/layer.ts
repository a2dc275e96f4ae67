// The governance layer: identity (Keycloak, optional LLDAP), sign-in at the edge (oauth2-proxy), access (OPA), the data catalog (OpenMetadata with OpenSearch).
// Its cdk8s style is here (`new GovernanceChart(app, id, props)`); its Pulumi style, from the same props, is
// `new GovernanceLayer(name, props, opts)` in resource.ts, kept apart so the offline render never loads Pulumi.
import type { Construct } from 'constructs';
import type { z } from 'zod';
import { LayerChart } from '../platform/layer-chart';
import type { LayerDefinition, LayerProps } from '../platform/platform';
import { governanceSliceSchema } from './schema';
import { keycloakDefinition } from './keycloak/keycloak';
import { lldapDefinition } from './lldap/lldap';
import { oauth2ProxyDefinition } from './oauth2-proxy/oauth2-proxy';
import { opaDefinition } from './opa/opa';
import { openmetadataDefinition } from './openmetadata/openmetadata';
import { opensearchDefinition } from './opensearch/opensearch';

export const governanceLayer: LayerDefinition<typeof governanceSliceSchema> = {
  placement: 'governance',
  schema: governanceSliceSchema,
  services: [keycloakDefinition, oauth2ProxyDefinition, lldapDefinition, opaDefinition, opensearchDefinition, openmetadataDefinition],
};

export type GovernanceLayerProps = LayerProps<z.infer<typeof governanceSliceSchema>>;

export class GovernanceChart extends LayerChart<typeof governanceSliceSchema> {
  constructor(scope: Construct, id: string, props: GovernanceLayerProps) {
    super(governanceLayer, scope, id, props);
  }
}
