/** getPhase, GetPodQOS and the container-log query handling of server.go getContainerLogs. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCri, parseLogOptions } from './container-logs.js';
import { podPhase, qosClass, type ContainerRecord } from './pod-status.js';

const rec = (
  state: ContainerRecord['state'],
  lastState: ContainerRecord['lastState'] = {},
): ContainerRecord => ({
  name: 'c',
  image: 'i',
  imageID: '',
  containerID: '',
  restartCount: 0,
  state,
  lastState,
  started: false,
});
const term = (exitCode: number) => ({
  terminated: {
    exitCode,
    reason: exitCode ? 'Error' : 'Completed',
    startedAt: '',
    finishedAt: '',
    containerID: '',
  },
});

describe('podPhase (kubelet_pods.go getPhase)', () => {
  test('waiting to start is Pending, running is Running', () => {
    assert.equal(podPhase('Always', [rec({ waiting: { reason: 'ContainerCreating' } })]), 'Pending');
    assert.equal(podPhase('Never', [rec({ running: { startedAt: '' } })]), 'Running');
  });
  test('terminated: Never gives Failed/Succeeded, Always keeps Running, OnFailure Succeeded only on success', () => {
    assert.equal(podPhase('Never', [rec(term(3))]), 'Failed');
    assert.equal(podPhase('Never', [rec(term(0))]), 'Succeeded');
    assert.equal(podPhase('Always', [rec(term(0))]), 'Running');
    assert.equal(podPhase('OnFailure', [rec(term(0))]), 'Succeeded');
    assert.equal(podPhase('OnFailure', [rec(term(1))]), 'Running');
  });
  test('a container in back-off after a run counts as stopped, not pending', () => {
    assert.equal(podPhase('Always', [rec({ waiting: { reason: 'CrashLoopBackOff' } }, term(1))]), 'Running');
  });
});

test('qosClass (GetPodQOS)', () => {
  assert.equal(qosClass({ containers: [{ name: 'a' }] }), 'BestEffort');
  assert.equal(
    qosClass({ containers: [{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }),
    'Guaranteed',
  );
  assert.equal(qosClass({ containers: [{ name: 'a', resources: { requests: { cpu: '1' } } }] }), 'Burstable');
});

describe('parseLogOptions (getContainerLogs, ValidatePodLogOptions)', () => {
  const q = (s: string) => parseLogOptions(new URLSearchParams(s));
  test('values and the old `tail` name', () => {
    assert.deepEqual(q('follow=true&tailLines=5&timestamps=1'), {
      follow: true,
      previous: false,
      timestamps: true,
      tailLines: 5,
      sinceSeconds: undefined,
      sinceTime: undefined,
      limitBytes: undefined,
    });
    assert.equal((q('tail=3') as { tailLines?: number }).tailLines, 3);
    assert.equal((q('tail=all&tailLines=3') as { tailLines?: number }).tailLines, undefined);
  });
  test('undecodable and invalid queries', () => {
    assert.deepEqual(q('tailLines=x'), { code: 400, message: '{"message": "Unable to decode query."}' });
    assert.deepEqual(q('follow=maybe'), { code: 400, message: '{"message": "Unable to decode query."}' });
    for (const bad of [
      'tailLines=-1',
      'limitBytes=0',
      'sinceSeconds=0',
      'sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z',
    ])
      assert.deepEqual(q(bad), { code: 422, message: '{"message": "Invalid request."}' }, bad);
  });
});

test('parseCri joins partial lines', () => {
  const lines = parseCri('2024-01-01T00:00:00.1Z stdout P ab\n2024-01-01T00:00:00.2Z stdout F cd\nbroken\n');
  assert.deepEqual(
    lines.map((l) => [l.ts, l.text]),
    [['2024-01-01T00:00:00.2Z', 'abcd\n']],
  );
});
