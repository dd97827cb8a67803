import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkKindUp, checkLineEndings } from './deploy-consistency';
import { dataServices, readYaml, resolvedCompose, root, run } from './deploy-manifests';

/** Every shell script of the deployment and the tooling, and what it runs under. */
const SCRIPTS: Array<[string, 'bash' | 'sh']> = [
  ['scripts/kind-up.sh', 'bash'],
  ['scripts/kind-down.sh', 'bash'],
  ['deploy/postgres/init-shop.sh', 'bash'],
  ['deploy/kafka/healthcheck.sh', 'bash'],
  ['deploy/docker/entrypoint.sh', 'sh'],
  ['deploy/secrets/make-secrets.sh', 'sh'],
  ['tools/infra/standins/postgres/docker-entrypoint.sh', 'bash'],
  ['tools/infra/standins/kafka/run', 'bash'],
  // npm start's and npm test's first step, before Node: installs, compiles the tools, runs one.
  ['tools/run.sh', 'sh'],
];
const SHELLCHECK = '/usr/bin/shellcheck';
const gitCheckAttr = (paths: string[]) => run('git', ['check-attr', 'eol', '--', ...paths]).stdout;

describe('deployment shell scripts', () => {
  it.each(SCRIPTS)('%s parses, is strict and executable', (script, shell) => {
    const r = run(shell === 'bash' ? 'bash' : 'dash', ['-n', script]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(root, script), 'utf8')).toMatch(shell === 'bash' ? /^set -E?euo pipefail$/m : /^set -eu$/m);
    expect(run('test', ['-x', script]).status).toBe(0);
  });

  it('are clean under shellcheck', () => {
    // npm test installs shellcheck (tools/infra/system-packages.ts); a bare jest run without it says so.
    if (!existsSync(SHELLCHECK)) throw new Error('shellcheck is missing: apt-get install -y shellcheck (npm test installs it)');
    const r = run(SHELLCHECK, SCRIPTS.map(([script]) => script));
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('shellcheck fails on a broken script (the check bites)', () => {
    if (!existsSync(SHELLCHECK)) throw new Error('shellcheck is missing: apt-get install -y shellcheck (npm test installs it)');
    const r = run(SHELLCHECK, [join(__dirname, 'fixtures', 'broken-script.sh')]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain('SC2086');
  });

  it('keep LF line endings on every checkout, with what containers mount and build from', () => {
    const mounted = Object.values(resolvedCompose().services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => source.startsWith(root))
      .map((source) => source.slice(root.length + 1));
    expect(mounted.length).toBeGreaterThan(2);
    expect(checkLineEndings([...SCRIPTS.map(([s]) => s), ...mounted, 'Dockerfile'], gitCheckAttr)).toEqual([]);
  });

  it('names a script that could be checked out with CRLF', () => {
    expect(checkLineEndings(['scripts/kind-up.sh', 'tools/new-tool'], gitCheckAttr)).toEqual(['.gitattributes: tools/new-tool is not eol=lf']);
  });
});

describe('scripts/kind-up.sh', () => {
  const cluster = readYaml('k8s', 'overlays', 'kind', 'kind-cluster.yaml');
  const hostPort = (nodePort: number) => cluster.nodes[0].extraPortMappings.find((m: { containerPort: number }) => m.containerPort === nodePort).hostPort;
  const ports = { gateway: hostPort(30000), storefront: hostPort(30080) };

  it("checks kind, loads each app's image as an archive, applies each app's version, waits for the secrets, gives the mapped URLs", () => {
    expect(ports).toEqual({ gateway: 3000, storefront: 4200 });
    expect(checkKindUp(readFileSync(join(root, 'scripts', 'kind-up.sh'), 'utf8'), ports)).toEqual([]);
  });

  it('names what the kind-up.sh of before got wrong', () => {
    expect(checkKindUp(readFileSync(join(__dirname, 'fixtures', 'kind-up-before.sh'), 'utf8'), ports)).toEqual([
      'kind-up.sh: does not refuse kind releases before 0.24',
      "kind-up.sh: does not build each app's image with its version (tools/infra/images.ts)",
      'kind-up.sh: does not load the images as an archive',
      'kind-up.sh: does not load the Node base image the secrets Job runs on',
      'kind-up.sh: does not apply the overlay with each app on its version',
      'kind-up.sh: does not wait for the secrets Job',
      'kind-up.sh: does not give the storefront as http://localhost:4200',
    ]);
  });

  it('names what the kind-up.sh of the one platform image lacks', () => {
    expect(checkKindUp(readFileSync(join(__dirname, 'fixtures', 'kind-up-one-image.sh'), 'utf8'), ports)).toEqual([
      "kind-up.sh: does not build each app's image with its version (tools/infra/images.ts)",
      'kind-up.sh: does not load the Node base image the secrets Job runs on',
      'kind-up.sh: does not apply the overlay with each app on its version',
      'kind-up.sh: does not wait for the secrets Job',
    ]);
  });

  it('names the storefront on one URL everywhere', () => {
    for (const file of ['scripts/kind-up.sh', 'k8s/README.md', 'k8s/overlays/kind/kustomization.yaml', 'README.md', 'docs/deployment.md']) {
      expect([file, /localhost:8080/.test(readFileSync(join(root, file), 'utf8'))]).toEqual([file, false]);
    }
  });

  /** The script itself, with stand-ins for docker, kind and kubectl on PATH that record every call. */
  const withKind = (version: string) => {
    const bin = mkdtempSync(join(tmpdir(), 'shop-kind-'));
    const calls = join(bin, 'calls');
    for (const tool of ['docker', 'kind', 'kubectl']) {
      const reply = tool === 'kind' ? `if [ "$1" = version ]; then echo "kind v${version} go1.22.6 linux/amd64"; exit 0; fi\n` : '';
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${calls}\n${reply}exit 42\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const r = run('bash', [join(root, 'scripts', 'kind-up.sh')], { env: { PATH: `${bin}:${process.env.PATH}` } });
    return { ...r, calls: existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [] };
  };

  it('stops before touching anything when kind is older than 0.24', () => {
    const old = withKind('0.23.0');
    expect(old.status).toBe(1);
    expect(old.stderr.trim()).toBe('kind-up: kind 0.23.0 is older than 0.24.0, which does not enforce NetworkPolicies; upgrade kind');
    expect(old.calls).toEqual(['kind version']);
    // 0.24 and later go on to the cluster (here the stand-in for kind fails to make one).
    expect(withKind('0.24.0').calls.slice(0, 2)).toEqual(['kind version', 'kind get clusters']);
    expect(withKind('0.31.2').calls.slice(0, 2)).toEqual(['kind version', 'kind get clusters']);
  });
});

describe('the Postgres init script', () => {
  it('creates the schemas and roles of tools/infra/postgres.ts SERVICES, in the same order', () => {
    const text = readFileSync(join(root, 'deploy', 'postgres', 'init-shop.sh'), 'utf8');
    const list = /^SERVICES="([^"]+)"$/m.exec(text)?.[1] ?? '';
    const parsed = list.split(' ').map((entry) => {
      const [service, schema, role] = entry.split(':');
      return { service, schema, role };
    });
    expect(parsed).toEqual(dataServices());
  });
});
