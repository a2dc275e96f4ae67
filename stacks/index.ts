// Entry point of `pulumi up -s <stack>`.
import { deployPlatform } from './platform';

const platform = deployPlatform();

export const environment = platform.environment;
export const urls = platform.urls;
export const namespaces = platform.namespaces;
export const secrets = platform.secrets;
export const caCertificate = platform.caCertificate;
