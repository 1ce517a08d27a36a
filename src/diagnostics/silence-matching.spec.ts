import type { Finding, ObjectRef } from '../cluster-state/finding';
import { ignoredCodes, withSilenceMeta } from '../cluster-state/records/silence-meta';
import {
  ActiveSilence,
  compileNamePattern,
  namePatternProblem,
  SilenceMatchers,
  SilenceObjectMeta,
  silenceOf,
} from './silence-matching';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateSilenceDto, expiryOf, expiryProblem } from './silences.dto';

const NOW = Date.parse('2026-06-01T12:00:00Z');

const ref = (kind: string, name: string, namespace = 'shop'): ObjectRef => ({
  group: kind === 'Pod' ? '' : 'apps',
  kind,
  namespace,
  name,
});

const finding = (code: string, object: ObjectRef): Pick<Finding, 'code' | 'object'> => ({
  code,
  object,
});

function silence(matchers: SilenceMatchers, expiresInMs = 60_000, id = 's1'): ActiveSilence {
  return {
    id,
    matchers,
    ...(matchers.name !== undefined ? { namePattern: compileNamePattern(matchers.name) } : {}),
    comment: 'accepted',
    author: 'alice',
    expiresAt: new Date(NOW + expiresInMs).toISOString(),
    expiresAtMs: NOW + expiresInMs,
  };
}

/** A lookup over a few objects, keyed `Kind/name`. */
const lookupOf =
  (objects: Record<string, SilenceObjectMeta>) =>
  (r: ObjectRef): SilenceObjectMeta | undefined =>
    objects[`${r.kind}/${r.name}`];

const web = finding('POD_CRASH_LOOP', ref('Deployment', 'web'));
const none = lookupOf({});

describe('silenceOf: stored silences', () => {
  it('needs every matcher given to hold', () => {
    const lookup = lookupOf({ 'Deployment/web': { labels: { team: 'shop', tier: 'front' } } });
    const holds: SilenceMatchers[] = [
      { code: 'POD_CRASH_LOOP' },
      { namespace: 'shop' },
      { kind: 'deployment' },
      { name: 'we.' },
      { labels: { team: 'shop' } },
      { code: 'POD_CRASH_LOOP', namespace: 'shop', kind: 'Deployment', name: 'web|api' },
    ];
    const fails: SilenceMatchers[] = [
      { code: 'POD_IMAGE_PULL' },
      { namespace: 'payments' },
      { kind: 'StatefulSet' },
      { name: 'we' },
      { labels: { team: 'payments' } },
      { code: 'POD_CRASH_LOOP', namespace: 'payments' },
    ];
    for (const m of holds)
      expect([m, silenceOf(web, [silence(m)], lookup, NOW)?.by]).toEqual([m, 'silence']);
    for (const m of fails)
      expect([m, silenceOf(web, [silence(m)], lookup, NOW)]).toEqual([m, undefined]);
  });

  it('anchors the name pattern over the whole name', () => {
    const s = silence({ name: 'web-[0-9]+' });
    expect(silenceOf(finding('X_Y', ref('Pod', 'web-12')), [s], none, NOW)).toBeDefined();
    expect(silenceOf(finding('X_Y', ref('Pod', 'web-12-old')), [s], none, NOW)).toBeUndefined();
    expect(silenceOf(finding('X_Y', ref('Pod', 'old-web-12')), [s], none, NOW)).toBeUndefined();
  });

  it('never matches labels of an object it cannot read', () => {
    expect(silenceOf(web, [silence({ labels: { team: 'shop' } })], none, NOW)).toBeUndefined();
  });

  it('ends at its expiry', () => {
    expect(silenceOf(web, [silence({ namespace: 'shop' }, 1)], none, NOW)).toBeDefined();
    expect(silenceOf(web, [silence({ namespace: 'shop' }, 0)], none, NOW)).toBeUndefined();
  });

  it('names the silence, its author, comment and expiry in the marker', () => {
    expect(silenceOf(web, [silence({ namespace: 'shop' })], none, NOW)).toEqual({
      by: 'silence',
      silenceId: 's1',
      comment: 'accepted',
      author: 'alice',
      expiresAt: '2026-06-01T12:01:00.000Z',
    });
  });
});

describe('silenceOf: the cloudpilot.dev/ignore annotation', () => {
  const objects = lookupOf({
    'ReplicaSet/web-7f9': { labels: {}, owner: { kind: 'Deployment', name: 'web' } },
    'Deployment/web': { labels: {}, ignore: ['REPLICASET_CREATE_FAILED', 'POD_CRASH_LOOP'] },
    'Pod/solo': { labels: {}, ignore: ['POD_OOM_KILLED'] },
  });

  it('silences the codes it names on the object the finding names', () => {
    expect(silenceOf(web, [], objects, NOW)).toEqual({
      by: 'annotation',
      annotation: 'cloudpilot.dev/ignore',
      object: 'Deployment shop/web',
    });
    const solo = ref('Pod', 'solo');
    expect(silenceOf(finding('POD_OOM_KILLED', solo), [], objects, NOW)?.by).toBe('annotation');
    expect(silenceOf(finding('POD_CRASH_LOOP', solo), [], objects, NOW)).toBeUndefined();
  });

  it("covers the findings of the objects it owns (a Deployment's ReplicaSets)", () => {
    const rs = finding('REPLICASET_CREATE_FAILED', ref('ReplicaSet', 'web-7f9'));
    expect(silenceOf(rs, [], objects, NOW)?.object).toBe('Deployment shop/web');
  });

  it('gives way to a stored silence, which says who and until when', () => {
    expect(silenceOf(web, [silence({ kind: 'Deployment' })], objects, NOW)?.by).toBe('silence');
  });
});

describe('name patterns', () => {
  it('refuses what does not compile, and the shapes that backtrack badly', () => {
    expect(namePatternProblem('web-(')).toMatch(/not a valid regular expression/);
    for (const slow of [
      '(a+)+$',
      '(x|xx)*y',
      '((a)+)*',
      '(?:a?b?)+',
      '(.*)+',
      '(a)\\1',
      '.*.*.*.*x',
    ])
      expect([slow, namePatternProblem(slow)]).toEqual([slow, expect.stringMatching(/must not/)]);
  });

  it('accepts ordinary patterns', () => {
    for (const fine of [
      '(web|api)-[a-z0-9]{5}',
      'batch-.*',
      '(web|api)?-canary',
      '[*+(|]+-x',
      '\\(a+\\)+',
      '.*-[0-9]+-.*',
    ])
      expect([fine, namePatternProblem(fine)]).toEqual([fine, null]);
  });
});

describe('the annotation on records', () => {
  it('reads CODE[,CODE], trimmed, leaving malformed entries out', () => {
    expect(
      ignoredCodes({ 'cloudpilot.dev/ignore': ' POD_CRASH_LOOP , bad-code,HPA_AT_MAX_REPLICAS' }),
    ).toEqual(['POD_CRASH_LOOP', 'HPA_AT_MAX_REPLICAS']);
    expect(ignoredCodes({ 'cloudpilot.dev/ignore': 'nothing, valid' })).toBeUndefined();
    expect(ignoredCodes({})).toBeUndefined();
    expect(ignoredCodes(undefined)).toBeUndefined();
  });

  it('adds labels where a record has none and the codes only when annotated', () => {
    const object = {
      metadata: { labels: { app: 'web' }, annotations: { 'cloudpilot.dev/ignore': 'POD_FAILED' } },
    };
    expect(withSilenceMeta({ name: 'web' }, object)).toEqual({
      name: 'web',
      labels: { app: 'web' },
      ignore: ['POD_FAILED'],
    });
    const own = { name: 'p', labels: { kept: 'yes' } };
    expect(withSilenceMeta(own, { metadata: { labels: { app: 'web' } } })).toEqual({
      name: 'p',
      labels: { kept: 'yes' },
    });
  });
});

describe('expiry', () => {
  it('must be an ISO time with a zone, in the future and within a year', () => {
    const at = (ms: number) => new Date(NOW + ms).toISOString();
    expect(expiryProblem(at(1000), NOW)).toBeNull();
    expect(expiryProblem(at(0), NOW)).toMatch(/in the future/);
    expect(expiryProblem(at(-60_000), NOW)).toMatch(/in the future/);
    expect(expiryProblem(at(367 * 24 * 3600 * 1000), NOW)).toMatch(/within a year/);
    expect(expiryProblem('2026-06-01T13:00:00', NOW)).toMatch(/with a zone/);
    expect(expiryProblem('tomorrow', NOW)).toMatch(/ISO-8601/);
    expect(expiryProblem(42, NOW)).toMatch(/must be a string/);
  });

  it('is expiresAt or durationSeconds (up to a year), exactly one of them', () => {
    const refused = (expiry: object) =>
      validateSync(
        plainToInstance(CreateSilenceDto, {
          matchers: { code: 'POD_CRASH_LOOP' },
          comment: 'OPS-1',
          ...expiry,
        }),
      ).map((e) => e.property);
    const soon = new Date(Date.now() + 3600_000).toISOString();
    expect(refused({ expiresAt: soon })).toEqual([]);
    expect(refused({ durationSeconds: 3600 })).toEqual([]);
    expect(refused({ durationSeconds: 366 * 24 * 3600 })).toEqual([]);
    expect(refused({ durationSeconds: 366 * 24 * 3600 + 1 })).toEqual(['durationSeconds']);
    expect(refused({ durationSeconds: 0 })).toEqual(['durationSeconds']);
    expect(refused({})).toEqual(['expiresAt']);
    expect(refused({ expiresAt: soon, durationSeconds: 60 })).toEqual(['durationSeconds']);
    expect(expiryOf({ durationSeconds: 60 }, NOW)).toBe(NOW + 60_000);
    expect(expiryOf({ expiresAt: '2026-06-02T00:00:00Z' }, NOW)).toBe(
      Date.parse('2026-06-02T00:00:00Z'),
    );
  });
});
