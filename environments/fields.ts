// Field types the config schema and the services' schema slices share: names, sizes, ranges, hosts.
import { z } from 'zod';

export const dnsLabel = z
  .string()
  .regex(/^[a-z]([-a-z0-9]{0,18}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and "-", 1 to 20 characters, starting with a letter');
export const domain = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a lowercase domain with at least two labels, such as "platform.localhost"',
  )
  .max(253);
export const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes object name: lowercase letters, digits and "-"')
  .max(63);
export const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti)$/, 'a storage size such as "10Gi"');
export const cidr = z.string().regex(/^([0-9]{1,3}\.){3}[0-9]{1,3}\/([0-9]|[12][0-9]|3[0-2])$/, 'an IPv4 CIDR such as "10.0.0.0/8"');
export const hostOrIp = z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/, 'a host name or IP address');

export const externalEndpoint = {
  cidrs: z.array(cidr).min(1).describe('Egress is opened only to these ranges for the external endpoint.'),
};
