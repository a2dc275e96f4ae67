// Entry of `pulumi up` in this folder (Pulumi.yaml beside it).
import { storageAndCompute } from './program';

const platform = storageAndCompute();

export const namespaces = platform.namespaces;
export const secrets = platform.secrets;
