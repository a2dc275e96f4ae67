// What other layers may use of the ingestion layer. It runs no service yet, so it offers only where its
// services will live: their namespace. Names, ports and plans join here with its first service.
import { namespaceName } from '../platform/layers';

export const ingestionNamespace = (prefix: string): string => namespaceName(prefix, 'ingestion');
