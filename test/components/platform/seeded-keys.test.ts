// Key material derived from a seed must not change when the derivation is made faster: a changed
// key would rotate every deployed certificate and signing key on the next render or `pulumi up`.
import * as crypto from 'node:crypto';
import { derivedRsaKey } from '../../../components/platform/seeded-keys';

const fingerprint = (seed: string, label: string) =>
  crypto.createHash('sha256').update(derivedRsaKey(seed, label).publicKey.n.toString(16)).digest('hex');

describe('RSA keys derived from a seed', () => {
  it('are the keys the seed has always stood for (a known answer)', () => {
    expect(fingerprint('known-answer-seed', 'known-answer')).toBe('277e723b19856dc209b5d3101c7a11d82c54b793ccc94511e86cb4db6a60e8f3');
  });

  it('are 2048-bit keys whose primes are prime, and differ per seed and per label', () => {
    const key = derivedRsaKey('another-seed', 'label');
    expect(key.publicKey.n.bitLength()).toBe(2048);
    const privateKey = key.privateKey as unknown as { p: { toString(radix: number): string }; q: { toString(radix: number): string } };
    for (const prime of [privateKey.p, privateKey.q]) expect(crypto.checkPrimeSync(BigInt(`0x${prime.toString(16)}`))).toBe(true);
    expect(fingerprint('another-seed', 'label')).not.toBe(fingerprint('another-seed', 'other-label'));
    expect(fingerprint('another-seed', 'label')).not.toBe(fingerprint('third-seed', 'label'));
  });
});
