// Pulumi mocks that fill the outputs the real providers would (metadata.name for kubernetes,
// result for RandomPassword, PEMs for tls) and record every registration with its options.
import * as pulumi from '@pulumi/pulumi';

export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, any>;
  parentType?: string;
  hasProvider: boolean;
  retainOnDelete?: boolean;
  protect?: boolean;
  deleteBeforeReplace?: boolean;
}

export const SECRET_SIG = '4dabf18193072939515e22adb298388d';

export function isSecretValue(value: unknown): boolean {
  return (
    typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === '1b47061264138c4ac30d75fd1eb44270'
  );
}

/** Installs mocks and a stack transform; returns the list registrations are appended to. */
export async function installMocks(stack: string, config: Record<string, string>): Promise<Registration[]> {
  const registrations: Registration[] = [];
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const state: Record<string, any> = { ...args.inputs };
        if (args.type.startsWith('kubernetes:') && args.inputs.metadata)
          state.metadata = { ...args.inputs.metadata, name: args.inputs.metadata.name ?? args.name };
        if (args.type === 'random:index/randomPassword:RandomPassword') state.result = `mock-${args.name}`;
        if (args.type === 'tls:index/privateKey:PrivateKey') state.privateKeyPem = `-----BEGIN PRIVATE KEY----- mock ${args.name}`;
        if (args.type.startsWith('tls:index/') && args.type.endsWith('Cert'))
          state.certPem = `-----BEGIN CERTIFICATE----- mock ${args.name}`;
        if (args.type === 'tls:index/certRequest:CertRequest') state.certRequestPem = 'mock csr';
        return { id: `${args.name}-id`, state };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    'analytics-platform',
    stack,
    false,
  );
  // Wrap the mock monitor to see each registration as the engine would: parent, provider, options.
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: any) => {
    const parent: string = req.getParent();
    registrations.push({
      type: req.getType(),
      name: req.getName(),
      inputs: pulumi.runtime.deserializeProperties(req.getObject()),
      parentType: parent ? parent.split('::')[2].split('$').pop() : undefined,
      hasProvider: Boolean(req.getProvider()),
      retainOnDelete: req.hasRetainondelete?.() ? req.getRetainondelete() : undefined,
      protect: req.hasProtect?.() ? req.getProtect() : undefined,
      deleteBeforeReplace: req.getDeletebeforereplace(),
    });
    return register(req, callback);
  };
  return registrations;
}

/** Resolves an Output (or plain value) to its value under mocks. */
export function valueOf<T>(output: pulumi.Input<T> | undefined): Promise<T | undefined> {
  return new Promise((resolve) => (pulumi.output(output) as pulumi.Output<T>).apply((v) => resolve(v)));
}
