'use strict';
/**
 * In a Kubernetes cluster, what compose's one-shot `secrets` does: the Secret
 * the pods read (`shop-secrets`), made once from the values make-secrets.sh
 * wrote (random, or an operator's given in this Job's environment). Run by the
 * Job `shop-secrets` (k8s/base/secrets-job.yaml) with a service account that
 * may create Secrets in the namespace and read and patch this one, nothing
 * more. An existing Secret is never overwritten: a key it lacks (a service
 * added since) is added, the others are left as they are, so a Secret a
 * deployment brought from its own store stays its own.
 *   node k8s-secret.js <env file>
 * Only Node's built-ins: it runs on the Node base image.
 */
const fs = require('node:fs');
const https = require('node:https');

const ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const NAME = process.env.SECRET_NAME || 'shop-secrets';

/** NAME=value lines, as make-secrets.sh env-file writes them. */
function readEnvFile(file) {
  const values = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

/** One call to the API server with the pod's service account. */
function api(method, path, body, contentType = 'application/json') {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT || '443';
  if (!host) throw new Error('not in a cluster: KUBERNETES_SERVICE_HOST is not set');
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host,
        port,
        method,
        path,
        ca: fs.readFileSync(`${ACCOUNT}/ca.crt`),
        headers: {
          authorization: `Bearer ${fs.readFileSync(`${ACCOUNT}/token`, 'utf8').trim()}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 10 s`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Creates the Secret, or adds the keys an existing one lacks.
 * @returns {Promise<string>} what it did, in one line
 */
async function ensureSecret(namespace, values, call = api) {
  const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  const data = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  const created = await call('POST', base, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: NAME, labels: { 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'shop-secrets-job' } },
    type: 'Opaque',
    data,
  });
  if (created.status === 201) return `created ${NAME} with ${Object.keys(data).join(', ')}`;
  if (created.status !== 409) throw new Error(`creating ${NAME}: HTTP ${created.status} ${created.body?.message ?? ''}`);
  const existing = await call('GET', `${base}/${NAME}`);
  if (existing.status !== 200) throw new Error(`reading ${NAME}: HTTP ${existing.status} ${existing.body?.message ?? ''}`);
  const missing = Object.keys(data).filter((k) => !(k in (existing.body.data ?? {})));
  if (missing.length === 0) return `${NAME} exists with every key; left as it is`;
  const patched = await call('PATCH', `${base}/${NAME}`, { data: Object.fromEntries(missing.map((k) => [k, data[k]])) }, 'application/merge-patch+json');
  if (patched.status !== 200) throw new Error(`adding ${missing.join(', ')} to ${NAME}: HTTP ${patched.status} ${patched.body?.message ?? ''}`);
  return `${NAME} existed; added ${missing.join(', ')}, left the other keys as they are`;
}

module.exports = { ensureSecret, readEnvFile };

if (require.main === module) {
  const namespace = process.env.NAMESPACE || fs.readFileSync(`${ACCOUNT}/namespace`, 'utf8').trim();
  ensureSecret(namespace, readEnvFile(process.argv[2]))
    .then((line) => console.log(`k8s-secret: ${line}`))
    .catch((err) => {
      console.error(`k8s-secret: ${err.message}`);
      process.exit(1);
    });
}
