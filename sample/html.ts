/**
 * Tiny server-side HTML helpers shared by the sample's pages and the local
 * provider's login pages: escaping and one responsive layout.
 */

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

/** A tagged template that escapes every interpolated value unless it is {@link raw} HTML. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): RawHtml {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new RawHtml(out);
}

/** HTML that is already safe (built with {@link html}). */
export class RawHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks a trusted string as HTML. */
export function raw(value: string): RawHtml {
  return new RawHtml(value);
}

function render(value: unknown): string {
  if (value instanceof RawHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

/** Options of {@link layout}. */
export interface LayoutOptions {
  title: string;
  /** Accent colour of the header (the provider's pages use another one). */
  accent?: string;
  /** Text in the header bar. */
  brand?: string;
}

/** A complete, phone-friendly page. */
export function layout(options: LayoutOptions, body: RawHtml): string {
  const accent = options.accent ?? '#4f46e5';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>
  :root { --accent: ${accent}; --fg: #1f2937; --muted: #6b7280; --bg: #f3f4f6; --card: #fff; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
         color: var(--fg); background: var(--bg); }
  header { background: var(--accent); color: #fff; padding: .75rem 1rem; font-weight: 600; }
  main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
  h2 { font-size: 1.1rem; margin: 0 0 .5rem; }
  .card { background: var(--card); border-radius: .75rem; padding: 1rem;
          box-shadow: 0 1px 3px rgba(0,0,0,.12); margin-bottom: 1rem; overflow-wrap: anywhere; }
  .muted { color: var(--muted); font-size: .9rem; }
  .stack { display: grid; gap: .6rem; }
  .row { display: flex; flex-wrap: wrap; gap: .6rem; }
  .btn, button { display: block; width: 100%; padding: .8rem 1rem; border: 0; border-radius: .5rem;
         background: var(--accent); color: #fff; font: inherit; font-weight: 600; text-align: center;
         text-decoration: none; cursor: pointer; }
  .btn.secondary, button.secondary { background: #e5e7eb; color: var(--fg); }
  .row > form, .row > a { flex: 1 1 10rem; }
  label { display: block; font-weight: 600; margin-bottom: .25rem; }
  input { width: 100%; padding: .7rem; border: 1px solid #d1d5db; border-radius: .5rem; font: inherit; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem .8rem; margin: 0; }
  dt { font-weight: 600; } dd { margin: 0; }
  pre { background: #111827; color: #e5e7eb; padding: .75rem; border-radius: .5rem;
        overflow-x: auto; font-size: .85rem; margin: 0; }
  .error { border-left: 4px solid #dc2626; }
  img.avatar { width: 3rem; height: 3rem; border-radius: 50%; float: right; }
  @media (max-width: 30rem) { dl { grid-template-columns: 1fr; } dd { margin-bottom: .4rem; } }
</style>
</head>
<body>
<header>${escapeHtml(options.brand ?? 'nestjs-oauth sample')}</header>
<main>
${body.value}
</main>
</body>
</html>`;
}
