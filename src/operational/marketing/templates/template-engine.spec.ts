import { AppError } from '#platform/http/index.js';
import { registerProblems } from '#platform/http/problem-catalog.js';
import { MARKETING_PROBLEMS } from '../marketing.errors.js';
import { MissingMergeField, TemplateEngine, type MergeFieldCatalog } from './template-engine.js';

const catalog: MergeFieldCatalog = new Map([
  ['contact', (p: readonly string[]) => ['firstName', 'email', 'customFields'].includes(p[0])],
  ['links', (p: readonly string[]) => p[0] === 'unsubscribe'],
]);

const problem = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('no problem raised');
};

beforeAll(() => registerProblems(MARKETING_PROBLEMS));

describe('TemplateEngine', () => {
  const engine = new TemplateEngine();

  it('names the line and column of a syntax error', () => {
    const e = problem(() => engine.parse('body', 'Hi\n  {{ contact.firstName | nope }}', false));
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('template_invalid');
    expect(e.extensions).toMatchObject({ part: 'body', line: 2 });
    const open = problem(() => engine.parse('subject', 'Hi {% if x %}', false));
    expect(open.extensions).toMatchObject({ part: 'subject', line: 1 });
  });

  it('lists the merge fields read and refuses unknown ones with their place', () => {
    const t = engine.parse(
      'body',
      '{{ contact.firstName | default: "there" }} {% for x in (1..2) %}{{ x }}{% endfor %}',
      false,
    );
    expect(engine.mergeFields('body', t, catalog)).toEqual(['contact.firstName']);
    const bad = engine.parse('body', 'Hello\n{{ contact.shoeSize }}', false);
    const e = problem(() => engine.mergeFields('body', bad, catalog));
    expect(e.extensions).toMatchObject({ line: 2, column: 4 });
    expect(e.params.reason).toContain('contact.shoeSize');
  });

  it('refuses tags that read other templates', () => {
    const e = problem(() => engine.parse('body', 'a\n {% include "/etc/passwd" %}', false));
    expect(e.extensions).toMatchObject({ line: 2, column: 2 });
  });

  it('falls back with default, blanks or skips a missing value, and escapes HTML', async () => {
    const t = engine.parse('body', 'Hi {{ contact.firstName | default: "there" }}!', true);
    expect(await engine.render(t, { contact: { firstName: null } }, true, 'skip')).toBe(
      'Hi there!',
    );
    const plain = engine.parse('body', 'Hi {{ contact.firstName }}!', true);
    expect(await engine.render(plain, { contact: {} }, true, 'blank')).toBe('Hi !');
    await expect(engine.render(plain, { contact: {} }, true, 'skip')).rejects.toBeInstanceOf(
      MissingMergeField,
    );
    expect(
      await engine.render(plain, { contact: { firstName: '<b>A&B</b>' } }, true, 'blank'),
    ).toBe('Hi &lt;b&gt;A&amp;B&lt;/b&gt;!');
  });

  it('does not walk prototypes', async () => {
    const t = engine.parse('body', '[{{ contact.constructor }}][{{ contact.__proto__ }}]', false);
    expect(await engine.render(t, { contact: { email: 'a@b.c' } }, false, 'blank')).toBe('[][]');
  });

  it('stops a render that runs too long or builds too much', async () => {
    const t = engine.parse(
      'body',
      '{% for a in (1..100000) %}{% for b in (1..100000) %}xxxxxxxxxx{% endfor %}{% endfor %}',
      false,
    );
    await expect(engine.render(t, {}, false, 'blank')).rejects.toThrow();
  });

  it('compiles MJML to responsive HTML and keeps merge fields in place', async () => {
    const html = await engine.mjml(
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ contact.firstName }}</mj-text></mj-column></mj-section></mj-body></mjml>',
    );
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('{{ contact.firstName }}');
    expect(html).toContain('@media');
  });
});
