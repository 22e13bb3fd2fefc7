import { Liquid, type Template } from 'liquidjs';
import mjml2html from 'mjml';
import { AppError } from '#platform/http/index.js';

export type TemplatePart = 'subject' | 'body';
export type MissingFieldRule = 'blank' | 'skip';

/** Root names a template may read, each with the test its second segment must pass. */
export type MergeFieldCatalog = ReadonlyMap<string, (path: readonly string[]) => boolean>;

/** A missing value under the `skip` rule: the message is not sent to this contact. */
export class MissingMergeField extends Error {
  constructor(readonly field: string) {
    super(`no value for ${field}`);
  }
}

const LIMITS = {
  // Bodies are at most 100,000 characters; the parser stops well past that.
  parseLimit: 400_000,
  /** Milliseconds one render may take: a loop over a large list cannot hold a worker. */
  renderLimit: 2_000,
  /** Characters one render may build, so `{% for %}` cannot blow up memory. */
  memoryLimit: 5_000_000,
};

/** Tags that read other templates: no template may reach the file system or another one. */
const FILE_TAGS = /\{%-?\s*(include|render|layout)\b/;

function engine(escape: boolean): Liquid {
  return new Liquid({
    strictFilters: true,
    ownPropertyOnly: true,
    lenientIf: true,
    // An in-memory, empty store: partials resolve to nothing rather than to files.
    templates: {},
    dynamicPartials: false,
    jsTruthy: false,
    outputEscape: escape ? 'escape' : undefined,
    ...LIMITS,
  });
}

const positionOf = (e: unknown): { line: number; column: number } => {
  const token = (e as { token?: { getPosition?: () => [number, number] } }).token;
  const pos = token?.getPosition?.();
  if (pos) return { line: pos[0], column: pos[1] };
  const m = /line:(\d+), col:(\d+)/.exec(String((e as Error).message));
  return m ? { line: Number(m[1]), column: Number(m[2]) } : { line: 1, column: 1 };
};

const reasonOf = (e: unknown) =>
  String((e as Error).message)
    .replace(/,? ?line:\d+, col:\d+/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);

export function templateInvalid(
  part: TemplatePart,
  line: number,
  column: number,
  reason: string,
): AppError {
  return new AppError(
    'template_invalid',
    { part, line, column, reason },
    [{ field: part, rule: 'template', message: `line ${line}, column ${column}: ${reason}` }],
    { part, line, column },
  );
}

/**
 * LiquidJS in a sandbox: strict filters, own properties only (no prototype walks), no
 * partials from anywhere, and limits on parse size, render time and built output. HTML
 * bodies escape every merged value; subjects and text bodies take them as they are.
 */
export class TemplateEngine {
  private readonly html = engine(true);
  private readonly plain = engine(false);

  /** Parses one part, or 422 `template_invalid` naming the line and column. */
  parse(part: TemplatePart, source: string, escape: boolean): Template[] {
    const file = FILE_TAGS.exec(source);
    if (file) {
      const before = source.slice(0, file.index).split('\n');
      throw templateInvalid(
        part,
        before.length,
        before[before.length - 1].length + 1,
        `the ${file[1]} tag is not available in templates`,
      );
    }
    try {
      return (escape ? this.html : this.plain).parse(source);
    } catch (e) {
      const { line, column } = positionOf(e);
      throw templateInvalid(part, line, column, reasonOf(e));
    }
  }

  /** Every merge field the part reads, checked against the catalog (422 for an unknown one). */
  mergeFields(part: TemplatePart, parsed: Template[], catalog: MergeFieldCatalog): string[] {
    const analysis = this.plain.analyzeSync(parsed);
    const found = new Set<string>();
    for (const variables of Object.values(analysis.globals)) {
      for (const v of variables) {
        const path = v.segments.map((s) => (typeof s === 'object' ? '*' : String(s)));
        const known = catalog.get(path[0]);
        if (!known || !known(path.slice(1)))
          throw templateInvalid(
            part,
            v.location.row,
            v.location.col,
            `unknown merge field ${path.join('.')}`,
          );
        found.add(path.slice(0, 3).join('.'));
      }
    }
    return [...found].sort();
  }

  /** MJML to responsive HTML, Liquid left in place; includes are refused. */
  async mjml(source: string): Promise<string> {
    const result = await mjml2html(source, {
      validationLevel: 'soft',
      ignoreIncludes: true,
      keepComments: false,
    });
    const [first] = result.errors ?? [];
    if (first)
      throw templateInvalid('body', first.line || 1, 1, String(first.message).slice(0, 300));
    return result.html;
  }

  /**
   * Renders a parsed part. Missing values (absent or null) are blank under `blank`; under
   * `skip` a value without a `| default:` throws MissingMergeField.
   */
  async render(
    parsed: Template[],
    data: Record<string, unknown>,
    escape: boolean,
    rule: MissingFieldRule,
  ): Promise<string> {
    try {
      return String(
        await (escape ? this.html : this.plain).render(parsed, withoutNulls(data), {
          strictVariables: rule === 'skip',
        }),
      );
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'UndefinedVariableError') {
        const m = /undefined variable: ([^,]+)/.exec((e as Error).message);
        throw new MissingMergeField(m?.[1] ?? 'a merge field');
      }
      throw e;
    }
  }
}

/** Null values become absent, so `| default:` and the missing-field rule see them as missing. */
function withoutNulls(value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined || v === '') continue;
    out[k] =
      typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? withoutNulls(v) : v;
  }
  return out;
}
