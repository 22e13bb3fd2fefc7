import fastifyCors from '@fastify/cors';
import Fastify from 'fastify';
import { corsOptions } from './api-cors.js';

describe('corsOptions', () => {
  it('answers any origin with "*" and no credentials when CRM_CORS_ORIGINS is "*"', async () => {
    const app = Fastify();
    await app.register(fastifyCors, corsOptions(['*']));
    app.get('/api/v1/ping', async () => ({ ok: true }));
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const origin = 'https://anywhere.example';
      const res = await fetch(`${base}/api/v1/ping`, { headers: { origin } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${base}/api/v1/ping`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'DELETE' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('DELETE');
    } finally {
      await app.close();
    }
  });
});
