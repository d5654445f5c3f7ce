import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/config/errors.js';
import { loadConfig } from '../../../src/config/load.js';
import { SETTINGS } from '../../../src/config/settings.js';
import { parseYamlSubset, type Yaml, YamlSubsetError } from '../../helpers/yaml-subset.js';

/**
 * The Kubernetes manifests (deploy/kubernetes) and compose.yaml, read with the YAML subset
 * parser: they hang together, set only variables the server knows, and the configuration
 * they describe loads.
 */
const ROOT = new URL('../../../../', import.meta.url).pathname;
const K8S = join(ROOT, 'deploy/kubernetes');
const KNOWN = new Set(Object.values(SETTINGS).flatMap((s) => [s.env, ...(s.aliases ?? [])]));

type Obj = { [key: string]: Yaml };
const obj = (v: Yaml | undefined): Obj => {
  assert.ok(
    v !== null && typeof v === 'object' && !Array.isArray(v),
    `expected a mapping, got ${JSON.stringify(v)}`,
  );
  return v;
};
const arr = (v: Yaml | undefined): Yaml[] => {
  assert.ok(Array.isArray(v), `expected a sequence, got ${JSON.stringify(v)}`);
  return v;
};
const at = (v: Yaml | undefined, ...path: (string | number)[]): Yaml | undefined =>
  path.reduce<Yaml | undefined>(
    (cur, key) => (cur === undefined || cur === null ? undefined : (cur as Obj)[key]),
    v,
  );

function manifests(): { file: string; doc: Obj }[] {
  return readdirSync(K8S)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .flatMap((file) =>
      parseYamlSubset(readFileSync(join(K8S, file), 'utf8')).map((doc) => ({ file, doc: obj(doc) })),
    );
}

function find(kind: string, name: string): Obj {
  const found = manifests().find((m) => m.doc.kind === kind && at(m.doc, 'metadata', 'name') === name);
  assert.ok(found, `${kind}/${name} is missing`);
  return found.doc;
}

/** The configuration a pod of the Deployment gets, secrets filled with test values. */
function podEnv(sealingKey: string, dir: string): Record<string, string> {
  const config = obj(at(find('ConfigMap', 'docspace-mcp-config'), 'data'));
  const env: Record<string, string> = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, String(v)]),
  );
  const keyFile = join(dir, 'sealing-key');
  writeFileSync(keyFile, sealingKey);
  env.DOCSPACE_SECRET_FILE = keyFile;
  env.DOCSPACE_OAUTH_CLIENT_SECRET = 'test-client-secret';
  return env;
}

describe('Kubernetes manifests', () => {
  const deployment = find('Deployment', 'docspace-mcp');
  const pod = obj(at(deployment, 'spec', 'template', 'spec'));
  const container = obj(arr(pod.containers)[0]);

  it('kustomization lists every manifest, and every manifest it lists exists', () => {
    const kustomization = obj(parseYamlSubset(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'))[0]);
    const listed = arr(kustomization.resources).map(String).sort();
    const files = readdirSync(K8S)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    assert.deepEqual(listed, files);
  });

  it('runs two replicas, ready on /readyz and alive on /healthz, as a non-root user', () => {
    assert.equal(at(deployment, 'spec', 'replicas'), 2);
    const port = obj(arr(container.ports).find((p) => at(p, 'name') === 'http'));
    assert.equal(at(container, 'readinessProbe', 'httpGet', 'path'), '/readyz');
    assert.equal(at(container, 'livenessProbe', 'httpGet', 'path'), '/healthz');
    assert.equal(at(container, 'readinessProbe', 'httpGet', 'port'), 'http');
    assert.equal(at(container, 'livenessProbe', 'httpGet', 'port'), 'http');
    const config = obj(at(find('ConfigMap', 'docspace-mcp-config'), 'data'));
    assert.equal(String(port.containerPort), config.DOCSPACE_PORT);
    assert.equal(at(pod, 'securityContext', 'runAsNonRoot'), true);
    assert.equal(at(container, 'securityContext', 'allowPrivilegeEscalation'), false);
    // Longer than the server's own drain, so SIGTERM lets in-flight requests finish.
    assert.ok(
      Number(pod.terminationGracePeriodSeconds) * 1000 > SETTINGS.shutdownTimeout.schema.parse(undefined),
    );
  });

  it('sets only variables the server knows (ConfigMap keys and container env)', () => {
    const config = obj(at(find('ConfigMap', 'docspace-mcp-config'), 'data'));
    const names = [...Object.keys(config), ...arr(container.env).map((e) => String(at(e, 'name')))];
    assert.ok(names.length > 5);
    for (const name of names) assert.ok(KNOWN.has(name), `${name} is not in src/config/settings.ts`);
    assert.deepEqual(
      arr(container.envFrom).map((e) => at(e, 'configMapRef', 'name')),
      ['docspace-mcp-config'],
    );
  });

  it('takes secrets from the Secret: the sealing key as a mounted file, the OAuth client secret by key', () => {
    const secret = find('Secret', 'docspace-mcp-secrets');
    const keys = Object.keys(obj(secret.stringData));
    for (const e of arr(container.env)) {
      const ref = at(e, 'valueFrom', 'secretKeyRef');
      if (ref === undefined) continue;
      assert.equal(at(ref, 'name'), 'docspace-mcp-secrets');
      assert.ok(keys.includes(String(at(ref, 'key'))), `${at(ref, 'key')} is not in the Secret`);
    }
    const volume = obj(
      arr(pod.volumes).find((v) => at(v, 'secret', 'secretName') === 'docspace-mcp-secrets'),
    );
    const mount = obj(arr(container.volumeMounts).find((m) => at(m, 'name') === volume.name));
    const items = arr(at(volume, 'secret', 'items'));
    const file = at(find('ConfigMap', 'docspace-mcp-config'), 'data', 'DOCSPACE_SECRET_FILE');
    assert.ok(
      items.some(
        (i) => `${mount.mountPath}/${at(i, 'path')}` === file && keys.includes(String(at(i, 'key'))),
      ),
      `DOCSPACE_SECRET_FILE ${file} is not a file of the mounted Secret`,
    );
  });

  it('Service and Ingress reach the pods by label and port name', () => {
    const service = find('Service', 'docspace-mcp');
    assert.deepEqual(
      at(service, 'spec', 'selector'),
      at(deployment, 'spec', 'template', 'metadata', 'labels'),
    );
    assert.equal(at(arr(at(service, 'spec', 'ports'))[0], 'targetPort'), 'http');
    const ingress = find('Ingress', 'docspace-mcp');
    const backend = at(arr(at(ingress, 'spec', 'rules', 0, 'http', 'paths'))[0], 'backend', 'service');
    assert.equal(at(backend, 'name'), 'docspace-mcp');
    const host = at(ingress, 'spec', 'rules', 0, 'host');
    const config = obj(at(find('ConfigMap', 'docspace-mcp-config'), 'data'));
    assert.equal(config.DOCSPACE_SERVER_BASE_URL, `https://${host}`);
    const redis = find('Service', 'redis');
    assert.match(
      String(config.DOCSPACE_REDIS_URL),
      new RegExp(`^redis://${at(redis, 'metadata', 'name')}:6379/`),
    );
  });

  it('the configuration a pod gets loads once the Secret is filled, and is refused while the key is empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-config-'));
    try {
      const config = loadConfig({ env: podEnv('k'.repeat(48), dir) });
      assert.equal(config.oauth, true);
      assert.equal(config.store, 'redis');
      assert.equal(config.host, '0.0.0.0');
      // Two replicas without session affinity: no legacy /sse sessions.
      assert.equal(config.sse, false);
      assert.throws(
        () => loadConfig({ env: podEnv('', dir) }),
        (err: unknown) => err instanceof ConfigError && /DOCSPACE_SECRET/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compose.yaml', () => {
  const compose = obj(parseYamlSubset(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'))[0]);
  const services = obj(compose.services);
  const instances = Object.entries(services).filter(([, s]) => at(s, 'image') === 'docspace-mcp:local');

  it('runs two instances with Redis behind a TLS-terminating proxy', () => {
    assert.equal(instances.length, 2);
    assert.match(String(at(services.redis, 'image')), /^redis:/);
    assert.match(String(at(services.proxy, 'image')), /^caddy:/);
    const caddyfile = readFileSync(join(ROOT, 'deploy/compose/Caddyfile'), 'utf8');
    for (const [name] of instances) assert.match(caddyfile, new RegExp(`${name}:8080`));
    assert.match(caddyfile, /health_uri \/readyz/);
  });

  it('keeps .env and the secrets directory out of the Docker build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    const secretFile = String(at(compose, 'secrets', 'sealing-key', 'file')).replace(/^\.\//, '');
    assert.ok(ignored.includes('.env'));
    assert.ok(
      ignored.some((line) => line !== '' && secretFile.startsWith(line)),
      secretFile,
    );
  });

  it('sets only variables the server knows, secrets from files or .env, and the result loads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'));
    try {
      const keyFile = join(dir, 'sealing-key');
      writeFileSync(keyFile, 'c'.repeat(48));
      const dotenv: Record<string, string> = {
        MCP_HOST: 'mcp.example.com',
        DOCSPACE_BASE_URL: 'https://portal.example.com',
        DOCSPACE_OAUTH_CLIENT_ID: 'client-id',
        DOCSPACE_OAUTH_CLIENT_SECRET: 'client-secret',
      };
      // Compose's ${VAR}, ${VAR:?message} and ${VAR:-default}, from the .env above.
      const interpolate = (v: string) =>
        v.replace(/\$\{(\w+)(?::[?-][^}]*)?\}/g, (_all, name: string) => dotenv[name] ?? '');
      for (const [name, service] of instances) {
        const env = obj(at(service, 'environment'));
        for (const key of Object.keys(env)) assert.ok(KNOWN.has(key), `${name}: ${key} is not a setting`);
        assert.equal(env.DOCSPACE_SECRET, undefined, 'no secret written in compose.yaml');
        assert.deepEqual(at(service, 'secrets'), ['sealing-key']);
        const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]));
        assert.equal(resolved.DOCSPACE_SECRET_FILE, '/run/secrets/sealing-key');
        const config = loadConfig({
          env: {
            DOCSPACE_TRANSPORT: 'http',
            DOCSPACE_HOST: '0.0.0.0',
            ...resolved,
            DOCSPACE_SECRET_FILE: keyFile,
          },
        });
        assert.equal(config.publicBaseUrl, 'https://mcp.example.com/');
        assert.equal(config.store, 'redis');
        assert.equal(config.sse, false, 'no legacy /sse sessions behind a proxy without affinity');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the YAML subset parser', () => {
  it('reads the forms the manifests use', () => {
    const [doc] = parseYamlSubset(
      [
        'a: 1 # comment',
        'b: "x # not a comment"',
        'list:',
        '- k: v',
        '  n: [a, "b c"]',
        '- plain',
        'nested:',
        '  empty: {}',
        "  quoted: 'it''s'",
      ].join('\n'),
    );
    assert.deepEqual(doc, {
      a: 1,
      b: 'x # not a comment',
      list: [{ k: 'v', n: ['a', 'b c'] }, 'plain'],
      nested: { empty: {}, quoted: "it's" },
    });
  });

  it('refuses what it does not understand instead of misreading it', () => {
    for (const text of ['a: &anchor 1', 'a: |\n  text', 'a:\n\tb: 1', 'a: 1\n  b: 2', 'a: 1\na: 2']) {
      assert.throws(() => parseYamlSubset(text), YamlSubsetError, text);
    }
  });
});
