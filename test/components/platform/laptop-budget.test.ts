// The k3d profile must run the whole platform on a 16 GB laptop: k3d's node shares the machine with
// the OS, a browser and k3s itself (about 4 GB together), so the scheduler has about 11 GB to place
// pods by their requests, and the limits (what pods may grow to at once) must stay near that.
import { allObjects } from '../../../components/platform/build';
import { memoryToBytes } from '../../../components/platform/quantity';
import { buildFor } from '../../helpers/build';

const GiB = 2 ** 30;

function memory(kind: 'requests' | 'limits'): number {
  const workloads = allObjects(buildFor('k3d')).filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet') as any[];
  return workloads.reduce(
    (sum, w) =>
      sum +
      (w.spec.replicas ?? 1) *
        w.spec.template.spec.containers.reduce((s: number, c: any) => s + memoryToBytes(c.resources[kind].memory), 0),
    0,
  );
}

describe('the k3d profile on a 16 GB laptop', () => {
  it('requests at most 10.5 GiB of memory for every long-running workload together', () => {
    expect(memory('requests') / GiB).toBeLessThanOrEqual(10.5);
  });

  it('lets those workloads grow to at most 13 GiB together', () => {
    expect(memory('limits') / GiB).toBeLessThanOrEqual(13);
  });
});
