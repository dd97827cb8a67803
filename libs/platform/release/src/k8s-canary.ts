/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects are plain data here */

/** The label that tells a release track's pods apart (k8s/base/apps: the stable Deployments select `stable`). */
export const TRACK_LABEL = 'shop/track';

/**
 * The canary Deployment of an app in Kubernetes, made from its stable
 * Deployment: the same pods (probes, resources, security, the Prometheus
 * annotations, the migrate init container of a service) on the new image,
 * labelled `shop/track: canary` and selecting only those, one replica (the
 * canary's share of the traffic is its share of the Service's pods), and
 * `release.track=canary` on its metrics and traces. The Service selects the
 * app by name, so it sends to both; the NetworkPolicies and the PDB select
 * by name and tier too, so they cover it. docs/releases.md, "In Kubernetes".
 */
export function canaryDeployment(stable: any, image: string, replicas = 1): any {
  if (stable?.kind !== 'Deployment') throw new Error('k8s canary: not a Deployment');
  if (stable.spec?.selector?.matchLabels?.[TRACK_LABEL] !== 'stable') {
    throw new Error(`k8s canary: Deployment ${stable.metadata?.name} does not select the stable track (${TRACK_LABEL}: stable), so it would take the canary's pods`);
  }
  const canary = structuredClone(stable);
  const name = `${stable.metadata.name}-canary`;
  canary.metadata = { name, namespace: stable.metadata.namespace, labels: { ...stable.metadata.labels, [TRACK_LABEL]: 'canary' } };
  canary.spec.replicas = replicas;
  canary.spec.selector.matchLabels[TRACK_LABEL] = 'canary';
  canary.spec.template.metadata.labels[TRACK_LABEL] = 'canary';
  delete canary.status;
  const app = stable.metadata.name;
  for (const c of [...(canary.spec.template.spec.initContainers ?? []), ...canary.spec.template.spec.containers]) {
    if (String(c.image).startsWith(`localhost/shop/${app}:`) || c.name === app) c.image = image;
    const attributes = (c.env ?? []).find((e: any) => e.name === 'OTEL_RESOURCE_ATTRIBUTES');
    if (attributes) attributes.value = String(attributes.value).replace(/release\.track=stable/, 'release.track=canary');
  }
  return canary;
}

/** Whether a selector's labels all hold on these labels. */
export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}
