// Secret-looking values are found whatever the variable is called, without false positives on
// ordinary technical values, and findings never repeat the value. Tokens are assembled at run time
// (and are fake), so no token-shaped literal sits in the source.
import type { KubeObject } from '../../components/platform/kube-object';
import { evaluate } from '../../policies/engine';
import { ruleById } from '../../policies/registry';
import { secretLooking } from '../../policies/rules/secret-values';
import { FIXTURE_CONTEXTS } from './fixture-contexts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const fake = (prefix: string, n: number, alphabet = 'Fake0Token1Value2') =>
  prefix + alphabet.repeat(Math.ceil(n / alphabet.length)).slice(0, n);
const PEM = (label: string) => `-----BEGIN ${label}-----\nZml4dHVyZSwgbm90IGEgcmVhbCBrZXk=\n-----END ${label}-----\n`;
const JWT = [b64url('{"alg":"RS256","typ":"JWT"}'), b64url('{"sub":"fixture","iss":"nobody"}'), b64url('not-a-real-signature')].join('.');

describe('secretLooking', () => {
  it.each([
    ['an RSA private key', PEM('RSA PRIVATE KEY'), 'a PEM private key'],
    ['an OpenSSH private key', PEM('OPENSSH PRIVATE KEY'), 'a PEM private key'],
    ['a PGP private key', PEM('PGP PRIVATE KEY BLOCK'), 'a PEM private key'],
    ['a base64-encoded PKCS#8 key', b64(PEM('PRIVATE KEY')), 'a base64-encoded PEM private key'],
    ['a JSON Web Token', JWT, 'a JSON Web Token'],
    ['a GitHub token', fake('ghp_', 36), 'a GitHub token'],
    ['a fine-grained GitHub token', fake('github_pat_', 82), 'a GitHub token'],
    ['a GitLab token', fake('glpat-', 20), 'a GitLab token'],
    ['an AWS access key ID', 'AKIA' + 'IOSFODNN7EXAMPLE', 'an AWS access key ID'],
    ['a Google API key', fake('AIza', 35), 'a Google API key'],
    ['a Slack token', fake('xoxb-', 30), 'a Slack token'],
    ['a Stripe live key', fake('sk_' + 'live_', 24), 'a Stripe live key'],
    ['an npm token', fake('npm_', 36), 'an npm token'],
    ['a Hugging Face token', fake('hf_', 34), 'a Hugging Face token'],
    ['an sk- API key', fake('sk-proj-', 40), 'an API secret key (sk-...)'],
    ['a password in a URL', 'postgres://app:fixture-pw@db:5432/app', 'a password inside a URL'],
    ['a password in a JDBC query', 'jdbc:postgresql://db/app?user=app&password=fixture-pw', 'a credential in a URL query'],
    ['a bearer header', 'Bearer ' + fake('', 32), 'an Authorization header credential'],
    ['a basic header', 'Basic ' + b64('user:fixture-password'), 'an Authorization header credential'],
    ['a random key', 'Q3tV8mZr1xKp7LwN2bYc5HdF9sJ0gAeT4uRiWo6E', 'a high-entropy string (a generated key or token)'],
    ['a base64 random secret', 'aG9Wx3Kq9+Lm2Pz/Vb7Rt4Yn8Jc1Ud6Es0Fa5Qw3=', 'a high-entropy string (a generated key or token)'],
  ])('finds %s', (_, value, what) => {
    expect(secretLooking(value, { wholeValue: true })).toContain(what);
  });

  it('finds tokens inside longer text (a config file, JVM options)', () => {
    expect(secretLooking(`-Dgit.auth=${fake('ghp_', 36)} -Xmx1g`)).toEqual(['a GitHub token']);
    expect(secretLooking(`{ "token": "${JWT}" }`)).toEqual(['a JSON Web Token']);
  });

  it.each([
    ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
    ['a hex digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['an image digest', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['JVM options', '-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=50'],
    ['a class name', 'org.apache.spark.deploy.SparkSubmitArguments2024'],
    ['camel-case words with digits', 'AuthenticationJwtPrincipalClaims2024'],
    ['snake-case words with digits', 'org_apache_spark_sql_Catalyst2024Version'],
    ['a base64 certificate', b64(PEM('CERTIFICATE'))],
    ['a base64 DER certificate', 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJQmFsdGltb3Jl'],
    [
      'a URL without credentials',
      'https://keycloak.platform-governance.svc.cluster.local:8080/realms/platform/protocol/openid-connect/token',
    ],
    ['a URL whose password is a Kubernetes reference', 'postgres://app:$(DB_PASSWORD)@db:5432/app'],
    ['a URL whose password is a template', 'postgres://app:{{ .Values.password }}@db/app'],
    ['a query credential from the environment', 'https://api.example.com/v1?token=${API_TOKEN}'],
    ['a masked URL', 'postgres://app:***@db/app'],
    ['a bearer header from a reference', 'Bearer $(TOKEN)'],
    ['a JWT-shaped string whose header is not JSON', 'eyJustAnIdentifier.eyJustAnother1.part'],
    ['a path', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
  ])('does not flag %s', (_, value) => {
    expect(secretLooking(value, { wholeValue: true })).toEqual([]);
  });

  it('judges a whole value as high-entropy only when asked: text in a config file is not', () => {
    const key = 'Q3tV8mZr1xKp7LwN2bYc5HdF9sJ0gAeT4uRiWo6E';
    expect(secretLooking(key)).toEqual([]);
    expect(secretLooking(key, { wholeValue: true })).toHaveLength(1);
  });
});

describe('secret findings never print the value', () => {
  const secrets = [
    PEM('EC PRIVATE KEY'),
    b64(PEM('PRIVATE KEY')),
    JWT,
    fake('ghp_', 36),
    'postgres://app:fixture-pw-7731@db/app',
    'Q3tV8mZr1xKp7LwN2bYc5HdF9sJ0gAeT4uRiWo6E',
  ];
  const pod: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'apps' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: secrets.map((value, i) => ({ name: `SETTING_${i}`, value })) }] },
  };
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', namespace: 'apps' },
    data: Object.fromEntries(secrets.map((value, i) => [`file-${i}.conf`, `value = ${value}\n`])),
  };
  const findings = evaluate(
    [pod, configMap],
    [ruleById('no-secret-literals-in-env'), ruleById('no-secrets-in-configmaps')],
    FIXTURE_CONTEXTS.k3d,
  ).violations;

  it('names the variable and what the value looks like', () => {
    expect(findings.find((v) => v.rule === 'no-secret-literals-in-env')!.message).toContain(
      'env SETTING_3 holds what looks like a GitHub token; reference a Secret (secretKeyRef) or mount it as a file',
    );
    expect(findings.filter((v) => v.rule === 'no-secrets-in-configmaps').map((v) => v.message)).toEqual(
      expect.arrayContaining(['data key "file-4.conf" holds what looks like a password inside a URL; move it to a Secret']),
    );
  });

  it('does not contain any part of a secret value', () => {
    const text = JSON.stringify(findings);
    for (const secret of secrets)
      for (const part of secret.split(/[\s.:/@-]+/).filter((p) => p.length >= 8 && !/PRIVATE|BEGIN/.test(p)))
        expect(text).not.toContain(part);
  });
});
