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
/** One IPv4 octet, 0 to 255, without leading zeros; four make an address. */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = `(${OCTET}\\.){3}${OCTET}`;
/** An IPv4 CIDR: four octets 0-255 and a prefix length 0-32 (the form NetworkPolicy ipBlocks take). */
export const IPV4_CIDR = new RegExp(`^${IPV4}\\/([0-9]|[12][0-9]|3[0-2])$`);
const CIDR_MESSAGE = 'an IPv4 CIDR such as "10.0.0.0/8": four numbers 0-255, then "/" and a prefix length 0-32';

export const cidr = z.string().regex(IPV4_CIDR, CIDR_MESSAGE);
/** A host name (with at least one letter or "-"), or an IPv4 address whose octets are 0-255. */
export const HOST_OR_IPV4 = new RegExp(`^(${IPV4}|(?=[-.0-9]*[A-Za-z-])[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?)$`);
export const hostOrIp = z.string().regex(HOST_OR_IPV4, 'a host name, or an IPv4 address of four numbers 0-255');

export const externalEndpoint = {
  cidrs: z.array(cidr).min(1).describe('Egress is opened only to these ranges for the external endpoint.'),
};
