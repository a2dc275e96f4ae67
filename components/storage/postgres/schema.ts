// The config of a PostgreSQL instance: run in the platform, or an external server the platform uses.
import { z } from 'zod';
import { externalEndpoint, hostOrIp, objectName, quantity } from '../../../environments/fields';

export const postgresInstanceSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('internal'), storageSize: quantity }),
  z.strictObject({
    mode: z.literal('external'),
    host: hostOrIp,
    port: z.number().int().min(1).max(65535),
    adminSecret: objectName.describe(
      'Secret (storage namespace) with keys `username` and `password` of a role that may create roles and databases.',
    ),
    sslMode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']),
    ...externalEndpoint,
  }),
]);
