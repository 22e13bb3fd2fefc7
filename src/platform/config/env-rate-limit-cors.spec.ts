import { parseEnv } from './env.js';

describe('parseEnv: request quota and CORS', () => {
  it('defaults to 6000 requests a minute and no CORS; 0 turns the quota off', () => {
    expect(parseEnv({})).toMatchObject({
      rateLimitRequests: 6000,
      rateLimitWindowSeconds: 60,
      corsOrigins: [],
    });
    expect(parseEnv({ CRM_RATE_LIMIT_REQUESTS: '0' }).rateLimitRequests).toBe(0);
  });

  it('reads a list of origins or a lone "*", and names every bad entry', () => {
    expect(
      parseEnv({ CRM_CORS_ORIGINS: ' https://app.example.com/, http://localhost:5173 ' })
        .corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(parseEnv({ CRM_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() =>
      parseEnv({
        CRM_CORS_ORIGINS: 'app.example.com,https://x.example/path,*',
        CRM_RATE_LIMIT_WINDOW_SECONDS: '0',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.stringMatching(/^CRM_CORS_ORIGINS: "app.example.com" is not an origin/),
          expect.stringMatching(/^CRM_CORS_ORIGINS: "https:\/\/x.example\/path" is not an origin/),
          'CRM_CORS_ORIGINS: "*" allows every origin and cannot be combined with others',
          'CRM_RATE_LIMIT_WINDOW_SECONDS must be between 1 and 86400, got 0',
        ],
      }),
    );
  });
});
