// The search cluster's private CA and its node certificate (components/platform/internal-ca.ts).
// The node certificate serves both TLS layers: the REST layer (OpenMetadata and probes connect to
// it) and the transport layer, where every node is at once server and client, hence serverAuth and
// clientAuth. The security plugin reads only PKCS#8 PEM keys, which the shared CA writes.
import { InternalCertificates, internalCertificates } from '../../platform/internal-ca';

export type SearchCertificates = InternalCertificates;

const SEARCH_CA = { ca: { commonName: 'search CA', keyLabel: 'search-ca' }, leafKeyLabel: 'search-node' } as const;

/** The CA and a node certificate for `dnsNames` (the first one is the subject CN, the node DN). */
export const searchCertificates = (seed: string, dnsNames: string[]): SearchCertificates => internalCertificates(seed, SEARCH_CA, dnsNames);

/** The subject DN OpenSearch sees for the node certificate (plugins.security.nodes_dn). */
export const nodeDistinguishedName = (dnsNames: string[]): string => `CN=${dnsNames[0]}`;
