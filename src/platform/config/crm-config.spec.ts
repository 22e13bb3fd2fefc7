import { defineConfigSection, type ConfigComposition } from './config-section.js';
import { CrmConfigError, DEFAULT_PLATFORM_SETTINGS, parseCrmConfig } from './crm-config.js';

interface Greeting {
  readonly text: string;
  readonly repeat: number;
}

/** A module's section as the platform sees one: nothing but a key, a schema and two functions. */
const GREETING = defineConfigSection<Greeting>({
  key: 'greeting',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      text: { type: 'string', minLength: 1 },
      repeat: { type: 'integer', minimum: 1 },
    },
  },
  resolve: (given, settings) => ({
    text: `Welcome to ${settings.organization.name}`,
    repeat: 1,
    ...(given as Partial<Greeting> | undefined),
  }),
  problems: (g) =>
    g.repeat > 3 && g.text.length > 10
      ? ['/greeting/repeat: a long text is said 3 times at most']
      : [],
});
const MODULES: ConfigComposition = { sections: [GREETING], reservedPaths: ['greetings'] };
const parse = (yaml: string) => parseCrmConfig(`version: 1\n${yaml}`, 'f', MODULES);
const problemsOf = (yaml: string): string[] => {
  try {
    parse(yaml);
  } catch (e) {
    if (e instanceof CrmConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('parseCrmConfig', () => {
  it('fills the defaults of absent keys and of every section', () => {
    expect(parse('')).toEqual({
      ...DEFAULT_PLATFORM_SETTINGS,
      sections: { greeting: { text: 'Welcome to Relasi', repeat: 1 } },
    });
    const config = parse('organization: { name: Toko }\ngreeting: { repeat: 2 }\n');
    expect(GREETING.read(config)).toEqual({ text: 'Welcome to Toko', repeat: 2 });
    expect(Object.isFrozen(GREETING.read(config))).toBe(true);
  });

  it('reports unknown keys, bad values and bad YAML', () => {
    expect(() => parse('version: 2\n')).toThrow(CrmConfigError);
    expect(() => parse('organization:\n  timeZone: Mars/Base\n')).toThrow('unknown time zone');
    expect(() => parse('api: { defaultPageSize: 100, maxPageSize: 50 }\n')).toThrow(
      'must not exceed',
    );
    expect(() => parse('imports: { retentionDays: 0 }\n')).toThrow('/imports/retentionDays');
    expect(() => parseCrmConfig('version: [1\n', 'f', MODULES)).toThrow('not valid YAML');
    expect(() => parse('securityy: {}\n')).toThrow('unknown key "securityy"');
  });

  it('checks a section against its schema with the rest of the file, naming each path', () => {
    expect(
      problemsOf('greeting: { repeat: 0, colour: red }\nsecurity: { passwordMinLength: 4 }\n'),
    ).toEqual([
      '/security/passwordMinLength: must be >= 8',
      '/greeting: unknown key "colour"',
      '/greeting/repeat: must be >= 1',
    ]);
  });

  it('lists the meaning problems of sections and platform together', () => {
    expect(
      problemsOf(
        'organization: { timeZone: Mars/Base }\ngreeting: { text: Good morning all, repeat: 5 }\n',
      ),
    ).toEqual([
      '/greeting/repeat: a long text is said 3 times at most',
      '/organization/timeZone: unknown time zone "Mars/Base"',
    ]);
  });

  it('keeps the paths of the platform and of the modules from custom objects', () => {
    const object = (entity: string) =>
      `objects:\n  - { entity: ${entity}, label: { en: X }, labelPlural: { en: Xs } }\n`;
    expect(problemsOf(object('greetings'))).toEqual([
      '/objects/0/entity: "greetings" is a built-in path',
    ]);
    expect(problemsOf(object('webhooks'))).toEqual([
      '/objects/0/entity: "webhooks" is a built-in path',
    ]);
  });

  it('refuses a section declared twice, and a read of a section the app did not compose', () => {
    const twice: ConfigComposition = { sections: [GREETING, GREETING], reservedPaths: [] };
    expect(() => parseCrmConfig('version: 1\n', 'f', twice)).toThrow(
      'config section "greeting" is declared twice',
    );
    const without = parseCrmConfig('version: 1\n', 'f', { sections: [], reservedPaths: [] });
    expect(() => GREETING.read(without)).toThrow('config section "greeting" is not part');
  });
});
