import { AppError } from '../common/app-error';
import { previousLogMissing } from './logs.service';

describe('previousLogMissing', () => {
  // The kubelet's answer, relayed by the API server as 400, when a container never restarted.
  const kubelet = new AppError(
    'K8S_INVALID',
    'previous terminated container "app" in pod "web-1" not found',
  );

  it('turns the kubelet refusal into a missing previous log (404), not bad input', () => {
    expect(
      previousLogMissing(kubelet, { namespace: 'n', container: 'app', previous: true }),
    ).toMatchObject({ code: 'K8S_PREVIOUS_LOG_NOT_FOUND', status: 404 });
  });

  it('leaves other errors and non-previous requests alone', () => {
    expect(previousLogMissing(kubelet, { namespace: 'n', previous: false })).toBeUndefined();
    expect(
      previousLogMissing(new AppError('K8S_INVALID', 'a container name must be specified'), {
        namespace: 'n',
        previous: true,
      }),
    ).toBeUndefined();
  });
});
