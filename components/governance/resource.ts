// The governance layer in the Pulumi style: a ComponentResource typed by the same props as its chart.
import type * as pulumi from '@pulumi/pulumi';
import { LayerResource } from '../platform/pulumi/layer-resource';
import { governanceLayer, GovernanceLayerProps } from './layer';
import type { governanceSliceSchema } from './schema';

export class GovernanceLayer extends LayerResource<typeof governanceSliceSchema> {
  constructor(name: string, props: GovernanceLayerProps, opts?: pulumi.ComponentResourceOptions) {
    super(governanceLayer, name, props, opts);
  }
}
