/**
 * A pod spec that raises no info finding of its own (a probe, requests and a memory limit, no
 * default token), so a suite counting a namespace's findings sees only the fault it planted (a
 * `cloudpilot.dev/fault` label the harness's kwok stages act on).
 */
export const hygienicPodSpec = () => ({
  automountServiceAccountToken: false,
  containers: [
    {
      name: 'app',
      image: 'registry.example/app:1',
      readinessProbe: { httpGet: { path: '/', port: 8080 } },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    },
  ],
});
