// What other layers may use of the observability layer. It runs no service yet, so it offers only where its
// services will live: their namespace. Names, ports and plans join here with its first service.
import { namespaceName } from '../platform/layers';

export const observabilityNamespace = (prefix: string): string => namespaceName(prefix, 'observability');
