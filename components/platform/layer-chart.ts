// A layer in the cdk8s style: a Chart that joins a platform and holds its layer's objects once the
// platform is built. Synthesizing the app builds the platform when nobody has yet, so
// `app.synth()` works after the last layer is added.
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { z } from 'zod';
import type { BuiltLayer, LayerDefinition, LayerProps, Platform } from './platform';

export abstract class LayerChart<S extends z.ZodObject> extends Chart {
  /** The built layer, once the platform is built. */
  layer?: BuiltLayer;
  private readonly platform: Platform;

  protected constructor(definition: LayerDefinition<S>, scope: Construct, id: string, props: LayerProps<z.infer<S>>) {
    super(scope, id, { disableResourceNameHashes: true });
    this.platform = props.platform;
    props.platform.register(definition, props.config, (layer) => this.addObjects(layer));
  }

  private addObjects(layer: BuiltLayer): void {
    this.layer = layer;
    const objects = [...(layer.namespace?.objects ?? []), ...layer.services.flatMap((s) => s.objects)];
    for (const object of objects) {
      const { apiVersion, kind, metadata, ...rest } = object;
      const id = `${kind}-${metadata.namespace ?? 'cluster'}-${metadata.name}`;
      new ApiObject(this, id, { apiVersion, kind, metadata, ...rest });
    }
  }

  override toJson(): any[] {
    this.platform.build();
    return super.toJson();
  }
}
