import {
  hostCovers,
  hostExists,
  hostsIntersect,
  kubernetesDnsForm,
  resolveHost,
  serviceOfFqdn,
  visibleFrom,
} from './hosts';
import { service, serviceEntry } from './testing/mesh-builders';

describe('host resolution', () => {
  it('expands only names without dots, as Istio does, and keeps every other form literally', () => {
    expect(resolveHost('reviews', 'bookinfo')).toBe('reviews.bookinfo.svc.cluster.local');
    expect(resolveHost('reviews.prod', 'bookinfo')).toBe('reviews.prod');
    expect(resolveHost('reviews.prod.svc', 'bookinfo')).toBe('reviews.prod.svc');
    expect(kubernetesDnsForm('reviews.prod.svc')).toBe('reviews.prod.svc.cluster.local');
    expect(kubernetesDnsForm('api.example.com')).toBeNull();
    expect(resolveHost('Reviews.Prod.svc.cluster.local.', 'x')).toBe(
      'reviews.prod.svc.cluster.local',
    );
    expect(resolveHost('api.example.com', 'x')).toBe('api.example.com');
    expect(resolveHost('*.example.com', 'x')).toBe('*.example.com');
  });

  it('matches wildcards on label boundaries only', () => {
    expect(hostCovers('*.example.com', 'a.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'a.b.example.com')).toBe(true);
    expect(hostCovers('*.example.com', 'example.com')).toBe(false);
    expect(hostCovers('*.example.com', 'badexample.com')).toBe(false);
    expect(hostCovers('*', 'anything')).toBe(true);
    expect(hostsIntersect('a.example.com', '*.example.com')).toBe(true);
    expect(hostsIntersect('a.example.com', 'b.example.com')).toBe(false);
  });

  it('reads only name.namespace.svc.cluster.local as a Service', () => {
    expect(serviceOfFqdn('web.shop.svc.cluster.local')).toEqual({ name: 'web', namespace: 'shop' });
    expect(serviceOfFqdn('web.example.com')).toBeNull();
  });

  it('honours exportTo: absent and * everywhere, . own namespace, ~ nowhere, names listed', () => {
    expect(visibleFrom(undefined, 'a', 'b')).toBe(true);
    expect(visibleFrom(['*'], 'a', 'b')).toBe(true);
    expect(visibleFrom(['.'], 'a', 'a')).toBe(true);
    expect(visibleFrom(['.'], 'a', 'b')).toBe(false);
    expect(visibleFrom(['~'], 'a', 'a')).toBe(false);
    expect(visibleFrom(['b'], 'a', 'b')).toBe(true);
  });

  it('finds hosts among Services and exported ServiceEntries, wildcards included', () => {
    const services = [
      service('shop', 'web'),
      service('hidden', 'db', { app: 'db' }, { 'networking.istio.io/exportTo': '.' }),
    ];
    const entries = [
      serviceEntry('ext', 'apis', { hosts: ['*.googleapis.com'] }),
      serviceEntry('ext', 'private', { hosts: ['private.example.com'], exportTo: ['.'] }),
    ];
    expect(hostExists('web.shop.svc.cluster.local', 'other', services, entries)).toBe(true);
    expect(hostExists('storage.googleapis.com', 'other', services, entries)).toBe(true);
    expect(hostExists('db.hidden.svc.cluster.local', 'other', services, entries)).toBe(false);
    expect(hostExists('db.hidden.svc.cluster.local', 'hidden', services, entries)).toBe(true);
    expect(hostExists('private.example.com', 'other', services, entries)).toBe(false);
    expect(hostExists('private.example.com', 'ext', services, entries)).toBe(true);
  });
});
