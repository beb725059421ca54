/** primero-api-facts.md §1, §2.4, §2.7, §2.8, §6 (show, tokens, application controller). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../dev/sim/server.ts';
import { BASIC, call, fixtureSim } from './fixture.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await fixtureSim();
});
afterAll(() => sim.stop());

describe('response body (§2.4, §2.7)', () => {
  it('fields=short gives the summary fields plus id, enabled and last_updated_at', async () => {
    const a = await call(sim, '/api/v2/cases?fields=short&order_by=created_at&order=asc&per=1');
    expect(Object.keys(a.body.data[0]).sort()).toEqual(
      ['id', 'enabled', 'created_at', 'status', 'short_id', 'case_id_display', 'name', 'age', 'sex', 'registration_date', 'location_current', 'alert_count', 'record_in_scope', 'last_updated_at'].sort(),
    );
  });

  it('a comma list selects those fields; id, enabled and last_updated_at are always there', async () => {
    const a = await call(sim, '/api/v2/cases?fields=age,type_of_case&order_by=created_at&order=asc');
    expect(a.body.data[0]).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      enabled: true,
      age: 12,
      type_of_case: 'children_undergoing_reintegration_55427',
      last_updated_at: '2024-03-01T12:00:00.700Z',
    });
  });

  it('absent fields are omitted, not null', async () => {
    const a = await call(sim, '/api/v2/cases?fields=age,consent_reporting&order_by=created_at&order=desc&per=1');
    expect(a.body.data[0]).toEqual({ id: '00000000-0000-4000-8000-000000000013', enabled: false, last_updated_at: '2024-04-01T00:00:00.000Z' });
  });

  it('renders datetimes as UTC ISO with milliseconds and dates as YYYY-MM-DD; alert_count without fields', async () => {
    const a = await call(sim, '/api/v2/cases?order_by=created_at&order=asc&per=1');
    const c = a.body.data[0];
    expect(c.created_at).toBe('2024-03-01T08:00:00.250Z');
    expect(c.registration_date).toBe('2024-03-01');
    expect(c.alert_count).toBe(0);
    expect(Object.values(c)).not.toContain(null);
  });

  it('censors a hidden name', async () => {
    const a = await call(sim, '/api/v2/cases/00000000-0000-4000-8000-000000000013');
    expect(a.body.data.name).toBe('*******');
  });

  it('GET /cases/:id: 200 with data, 404 with the resource echoed', async () => {
    const ok = await call(sim, '/api/v2/cases/00000000-0000-4000-8000-000000000002');
    expect(ok.status).toBe(200);
    expect(ok.body.data.id).toBe('00000000-0000-4000-8000-000000000002');
    const missing = await call(sim, '/api/v2/cases/thisdoesntexist');
    expect(missing.status).toBe(404);
    expect(missing.body.errors).toEqual([{ status: 404, resource: '/api/v2/cases/thisdoesntexist', detail: 'thisdoesntexist', message: 'Not Found' }]);
  });

  it('sends X-Content-Type-Options: nosniff on every response', async () => {
    expect((await call(sim, '/api/v2/cases')).headers.get('x-content-type-options')).toBe('nosniff');
    expect((await call(sim, '/api/v2/cases', { auth: null })).headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('authentication (§1)', () => {
  it('missing auth: 401 {error} with WWW-Authenticate, not the errors envelope', async () => {
    const a = await call(sim, '/api/v2/cases', { auth: null });
    expect(a.status).toBe(401);
    expect(a.body).toEqual({ error: 'You need to sign in or sign up before continuing.' });
    expect(a.headers.get('www-authenticate')).toBe('Bearer realm="Primero" charset="UTF8"');
  });

  it('a wrong Basic password: 401 Invalid User name or password.', async () => {
    const a = await call(sim, '/api/v2/cases', { auth: `Basic ${Buffer.from('primero:nope').toString('base64')}` });
    expect(a.status).toBe(401);
    expect(a.body).toEqual({ error: 'Invalid User name or password.' });
  });

  it('user names are case-insensitive and stripped', async () => {
    const a = await call(sim, '/api/v2/cases', { auth: `Basic ${Buffer.from(' PRIMERO :primero').toString('base64')}` });
    expect(a.status).toBe(200);
  });

  it('current mode: login returns no token, and a Bearer header is ignored (401)', async () => {
    const login = await call(sim, '/api/v2/tokens', { method: 'POST', auth: null, body: { user: { user_name: 'primero', password: 'primero' } } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ id: 1, user_name: 'primero' });
    const a = await call(sim, '/api/v2/cases', { auth: 'Bearer whatever' });
    expect(a.status).toBe(401);
  });

  it('legacy token mode: token works until it expires, then 401 Signature has expired', async () => {
    const legacy = await startSimulator({ records: [], auth: 'token', tokenTtlMs: 300 });
    try {
      const login = await call(legacy, '/api/v2/tokens', { method: 'POST', auth: null, body: { user: { user_name: 'primero', password: 'primero' } } });
      expect(login.status).toBe(200);
      expect(login.body).toMatchObject({ id: 1, user_name: 'primero' });
      expect(login.headers.get('authorization')).toBe(`Bearer ${login.body.token}`);
      const ok = await call(legacy, '/api/v2/cases', { auth: `Bearer ${login.body.token}` });
      expect(ok.status).toBe(200);
      const tampered = await call(legacy, '/api/v2/cases', { auth: `Bearer ${login.body.token}x` });
      expect(tampered.status).toBe(401);
      expect(tampered.body.error).toBe('Signature verification failed');
      await new Promise((r) => setTimeout(r, 350));
      const expired = await call(legacy, '/api/v2/cases', { auth: `Bearer ${login.body.token}` });
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ error: 'Signature has expired' });
      expect(expired.headers.get('www-authenticate')).toBe('Bearer realm="Primero" charset="UTF8"');
      const bad = await call(legacy, '/api/v2/tokens', { method: 'POST', auth: null, body: { user: { user_name: 'primero', password: 'x' } } });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ error: 'Invalid User name or password.' });
    } finally {
      await legacy.stop();
    }
  });

  it('locks the account after 6 failures and throttles the 7th login in a minute (429)', async () => {
    const s = await startSimulator({ records: [] });
    try {
      const wrong = { user: { user_name: 'primero', password: 'wrong' } };
      for (let i = 0; i < 6; i++) expect((await call(s, '/api/v2/tokens', { method: 'POST', auth: null, body: wrong })).status).toBe(401);
      const seventh = await call(s, '/api/v2/tokens', { method: 'POST', auth: null, body: { user: { user_name: 'primero', password: 'primero' } } });
      expect(seventh.status).toBe(429);
      expect(seventh.body).toBe('Retry later\n');
      // locked: even the right password over Basic is refused (paranoid: same message)
      const locked = await call(s, '/api/v2/cases', { auth: BASIC });
      expect(locked.status).toBe(401);
      expect(locked.body.error).toBe('Invalid User name or password.');
    } finally {
      await s.stop();
    }
  });
});

describe('errors (§2.8) and faults', () => {
  it('503 config lock: envelope with detail and a Retry-After header', async () => {
    sim.setFaults({ rate: 0, kinds: [], retryAfterSeconds: 60 });
    sim.queueResponses('503');
    const a = await call(sim, '/api/v2/cases');
    expect(a.status).toBe(503);
    expect(a.headers.get('retry-after')).toBe('60');
    expect(a.body).toEqual({ errors: [{ status: 503, resource: '/api/v2/cases', detail: 'Retry-After: 60', message: 'Service Unavailable' }] });
    sim.clearFaults();
  });

  it('403 uses the envelope keyed status with the request path as resource (§6.4)', async () => {
    sim.queueResponses('403');
    const a = await call(sim, '/api/v2/cases');
    expect(a.status).toBe(403);
    expect(a.body).toEqual({ errors: [{ status: 403, resource: '/api/v2/cases', message: 'Forbidden' }] });
  });

  it('an unknown route is a 404 envelope', async () => {
    const a = await call(sim, '/api/v2/nothing');
    expect(a.status).toBe(404);
    expect(a.body.errors[0]).toMatchObject({ status: 404, resource: '/api/v2/nothing' });
  });

  it('fault rate 1 with kind 500 fails every request; the request log records status', async () => {
    sim.clearRequests();
    sim.setFaults({ rate: 1, kinds: ['500'] });
    expect((await call(sim, '/api/v2/cases?per=1')).status).toBe(500);
    sim.clearFaults();
    expect((await call(sim, '/api/v2/cases?per=1')).status).toBe(200);
    expect(sim.requests.map((r) => [r.method, r.path, r.query.per, r.status])).toEqual([
      ['GET', '/api/v2/cases', '1', 500],
      ['GET', '/api/v2/cases', '1', 200],
    ]);
  });

  it('latency delays answers', async () => {
    sim.setLatency(150);
    const t = performance.now();
    await call(sim, '/api/v2/cases?per=1');
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);
    sim.setLatency(0);
  });
});
