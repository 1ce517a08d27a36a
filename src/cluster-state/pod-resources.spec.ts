import {
  ContainerResourcesSpec,
  PodResourcesSpec,
  podEffectiveNanos,
  podEffectiveRequests,
} from './pod-resources';

const Mi = 2 ** 20;

/** A container requesting `cpu`/`memory`, with optional limits. */
function container(
  cpu?: string,
  memory?: string,
  limits: { cpu?: string; memory?: string } = {},
): ContainerResourcesSpec {
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  const limitList: Record<string, string> = {};
  if (limits.cpu) limitList.cpu = limits.cpu;
  if (limits.memory) limitList.memory = limits.memory;
  return { resources: { requests, limits: limitList } };
}

const sidecar = (
  cpu?: string,
  memory?: string,
  limits?: { cpu?: string; memory?: string },
): ContainerResourcesSpec => ({
  ...container(cpu, memory, limits),
  restartPolicy: 'Always',
});

const pod = (spec: PodResourcesSpec): PodResourcesSpec => spec;

describe('podEffectiveRequests', () => {
  it('sums the app containers', () => {
    const result = podEffectiveRequests(
      pod({ containers: [container('100m', '64Mi'), container('250m', '128Mi')] }),
    );
    expect(result.requests).toEqual({ cpu: 0.35, memory: 192 * Mi });
  });

  it('counts a container without resources as zero', () => {
    const result = podEffectiveRequests(pod({ containers: [{}, container('1', '1Gi')] }));
    expect(result).toEqual({
      requests: { cpu: 1, memory: 2 ** 30 },
      limits: { cpu: 0, memory: 0 },
    });
  });

  it('is zero for a pod without containers', () => {
    expect(podEffectiveRequests({})).toEqual({
      requests: { cpu: 0, memory: 0 },
      limits: { cpu: 0, memory: 0 },
    });
  });

  it('takes a regular init container when it is larger than the app containers', () => {
    const result = podEffectiveRequests(
      pod({ initContainers: [container('2', '32Mi')], containers: [container('500m', '64Mi')] }),
    );
    expect(result.requests).toEqual({ cpu: 2, memory: 64 * Mi });
  });

  it('takes the largest of several regular init containers, not their sum', () => {
    const result = podEffectiveRequests(
      pod({
        initContainers: [container('1'), container('3'), container('2')],
        containers: [container('1')],
      }),
    );
    expect(result.requests.cpu).toBe(3);
  });

  it('adds sidecars to the app containers', () => {
    const result = podEffectiveRequests(
      pod({ initContainers: [sidecar('100m', '50Mi')], containers: [container('200m', '100Mi')] }),
    );
    expect(result.requests).toEqual({ cpu: 0.3, memory: 150 * Mi });
  });

  it('adds to a regular init container only the sidecars declared before it', () => {
    const result = podEffectiveRequests(
      pod({
        initContainers: [sidecar('1'), container('2'), sidecar('4')],
        containers: [container('100m')],
      }),
    );
    // init phase peak: 1 + 2 = 3; running phase: 1 + 4 + 0.1 = 5.1
    expect(result.requests.cpu).toBe(5.1);
    const early = podEffectiveRequests(
      pod({
        initContainers: [sidecar('1'), container('5'), sidecar('500m')],
        containers: [container('100m')],
      }),
    );
    // init phase peak: 1 + 5 = 6 beats the running phase 1.6; the later sidecar is not counted in it
    expect(early.requests.cpu).toBe(6);
  });

  it('chooses the phase per resource independently', () => {
    const result = podEffectiveRequests(
      pod({ initContainers: [container('4', '10Mi')], containers: [container('1', '1Gi')] }),
    );
    expect(result.requests).toEqual({ cpu: 4, memory: 2 ** 30 });
  });

  it('treats an init container with restartPolicy other than Always as regular', () => {
    const result = podEffectiveRequests(
      pod({
        initContainers: [{ ...container('3'), restartPolicy: 'Never' }],
        containers: [container('1')],
      }),
    );
    expect(result.requests.cpu).toBe(3);
  });

  it('adds the pod overhead to the requests', () => {
    const result = podEffectiveRequests(
      pod({ containers: [container('1', '1Gi')], overhead: { cpu: '250m', memory: '120Mi' } }),
    );
    expect(result.requests).toEqual({ cpu: 1.25, memory: 2 ** 30 + 120 * Mi });
  });

  it('adds the overhead after taking the larger phase, not to each phase', () => {
    const result = podEffectiveRequests(
      pod({
        initContainers: [container('2')],
        containers: [container('1')],
        overhead: { cpu: '500m' },
      }),
    );
    expect(result.requests.cpu).toBe(2.5);
  });

  it('applies the same phase rule to limits', () => {
    const result = podEffectiveRequests(
      pod({
        initContainers: [
          sidecar('100m', '10Mi', { cpu: '200m', memory: '20Mi' }),
          container('1', '1Mi', { cpu: '3', memory: '2Mi' }),
        ],
        containers: [container('1', '100Mi', { cpu: '2', memory: '200Mi' })],
      }),
    );
    // cpu: running 0.2 + 2 = 2.2 vs init 0.2 + 3 = 3.2; memory: running 220Mi vs init 22Mi
    expect(result.limits).toEqual({ cpu: 3.2, memory: 220 * Mi });
  });

  it('counts an absent limit as zero in the sum, as kubectl describe node does', () => {
    const result = podEffectiveRequests(
      pod({ containers: [container('1', '1Gi', { cpu: '2' }), container('1', '1Gi')] }),
    );
    expect(result.limits).toEqual({ cpu: 2, memory: 0 });
  });

  it('adds the overhead to a limit only where the containers set one', () => {
    const result = podEffectiveRequests(
      pod({
        containers: [container('1', '1Gi', { memory: '2Gi' })],
        overhead: { cpu: '250m', memory: '64Mi' },
      }),
    );
    expect(result.limits).toEqual({ cpu: 0, memory: 2 * 2 ** 30 + 64 * Mi });
  });

  it('throws on a malformed quantity rather than counting it as zero', () => {
    expect(() => podEffectiveRequests(pod({ containers: [container('1GB')] }))).toThrow(
      /Invalid Kubernetes quantity/,
    );
  });
});

describe('podEffectiveNanos', () => {
  it('gives the same totals in exact nano units', () => {
    const result = podEffectiveNanos({
      initContainers: [sidecar('100m')],
      containers: [container('200m', '1Ki')],
      overhead: { memory: '1' },
    });
    expect(result.requests).toEqual({ cpu: 300_000_000n, memory: 1025n * 10n ** 9n });
  });
});
