import { ApiEndpoint, ClusterEndpoint } from './api-endpoint.decorator';

// Where Nest and @nestjs/swagger keep what the decorators declare (their DECORATORS constants).
const KEYS = [
  'swagger/apiOperation',
  'swagger/apiResponse',
  'swagger/apiExtension',
  'cloudpilot:access-rule',
  'cloudpilot:required-role',
  '__httpCode__',
];

const Live = ClusterEndpoint.with({ access: 'namespaced', live: true, errors: ['K8S_NOT_FOUND'] });

class Routes {
  @ClusterEndpoint({
    access: 'namespaced',
    live: true,
    summary: 'Restart',
    role: 'operator',
    status: 201,
    errors: ['K8S_NOT_FOUND', 'K8S_CONFLICT'],
  })
  full(): void {}

  @Live('Restart', { role: 'operator', status: 201, errors: ['K8S_CONFLICT'] })
  shared(): void {}

  @Live('Other', { access: 'cluster-wide' })
  overridden(): void {}

  @Live('Download', { rawContentType: 'text/plain' })
  download(): void {}
}

const declared = (method: keyof Routes) =>
  KEYS.map((key) => Reflect.getMetadata(key, Routes.prototype[method]) as unknown);
const operation = (method: keyof Routes) =>
  Reflect.getMetadata('swagger/apiOperation', Routes.prototype[method]) as { description: string };

describe('ApiEndpoint.with / ClusterEndpoint.with', () => {
  it('declares exactly what the whole spec declares: shared errors first, then the route’s', () => {
    expect(declared('shared')).toEqual(declared('full'));
  });

  it('lets a route replace a shared value', () => {
    expect(operation('overridden').description).toBe(
      'Requires the viewer role. Access: cluster-wide.',
    );
    expect(Reflect.getMetadata('cloudpilot:access-rule', Routes.prototype.overridden)).toBe(
      'cluster-wide',
    );
  });

  it('refuses a route that ends up without an access rule', () => {
    const NoAccess = ApiEndpoint.with({ role: 'admin' });
    expect(() => NoAccess('Nothing stated')).toThrow('states no access rule');
  });
});

describe('ApiEndpoint raw responses', () => {
  it('leaves a route documented as raw unenveloped, and only such a route', () => {
    const raw = (method: keyof Routes) =>
      Reflect.getMetadata('cloudpilot:raw-response', Routes.prototype[method]) as unknown;
    expect(raw('download')).toBe(true);
    expect(raw('shared')).toBeUndefined();
  });
});
