// Polaris' heap: its image sizes the heap as JAVA_MAX_MEM_RATIO percent of the container limit
// (run-java.sh of ubi9/openjdk-21-runtime, 80 unless set), which on a laptop's limit would leave
// too little for everything else. The platform sets the ratio so 384Mi stay off-heap.
import { heapRatio } from '../../../../components/storage/polaris/polaris';
import { memoryToBytes } from '../../../../components/platform/quantity';
import { buildFor, containerOf, envValue, find, objectsOf } from '../../../helpers/build';

const server = (env: string) => containerOf(find(objectsOf(buildFor(env), 'polaris'), 'Deployment', 'polaris'), 'polaris');
const mi = (q: string) => memoryToBytes(q) / 2 ** 20;

describe('the Polaris heap', () => {
  it.each(['k3d', 'eks', 'airgapped'])('on %s keeps at least 384Mi of the limit off the heap, and gives the heap at least half', (env) => {
    const c = server(env);
    const ratio = Number(envValue(c, 'JAVA_MAX_MEM_RATIO').value);
    const limit = mi(c.resources.limits.memory);
    expect(ratio).toBeGreaterThanOrEqual(50);
    expect(ratio).toBeLessThanOrEqual(80);
    expect(limit - (limit * ratio) / 100).toBeGreaterThanOrEqual(384);
  });

  it('on a laptop is 384 MiB on a 768Mi limit, with 512Mi requested', () => {
    const c = server('k3d');
    expect(c.resources.limits.memory).toBe('768Mi');
    expect(c.resources.requests.memory).toBe('512Mi');
    expect(envValue(c, 'JAVA_MAX_MEM_RATIO').value).toBe('50');
  });

  it('follows the limit: the share grows with it up to the image default of 80%', () => {
    expect(heapRatio({ replicas: 1, cpu: '1', memory: '768Mi' })).toBe(50);
    expect(heapRatio({ replicas: 1, cpu: '1', memory: '1Gi' })).toBe(62);
    expect(heapRatio({ replicas: 1, cpu: '1', memory: '8Gi' })).toBe(80);
  });
});
