// The Iceberg REST catalog's config: realm, catalog and the namespaces the bootstrap creates.
import { z } from 'zod';
import { objectName } from '../../../environments/fields';

export const polarisSchema = z.strictObject({
  realm: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'letters, digits, "_" and "-"'),
  catalog: objectName,
  namespaces: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'lowercase letters, digits and "_"')).min(1),
});
