/**
 * Generates the preset tables of docs/presets.md from the preset
 * definitions (`presetInfo()` of every `presets.*` function).
 *
 *   npm run docs:presets        rewrites the part between the markers
 *
 * test/unit/presets/docs-table.spec.ts fails when the committed page differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import { presetInfo, type PresetInfo } from '../lib/presets/define-preset.js';
import * as presets from '../lib/presets/presets.js';

/** The markers around the generated part of docs/presets.md. */
export const TABLE_START =
  '<!-- presets-table:start: generated from the preset definitions by `npm run docs:presets` -->';
export const TABLE_END = '<!-- presets-table:end -->';

/** Every preset's definition, by name. */
export function presetInfos(): PresetInfo[] {
  return Object.values(presets)
    .map((fn) => presetInfo(fn))
    .filter((info): info is PresetInfo => info !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

const PROTOCOL = { oauth2: 'OAuth 2', oidc: 'OpenID Connect', oauth1: 'OAuth 1.0a' } as const;

/** The generated Markdown (without the markers). */
export function renderPresetsTables(infos: PresetInfo[] = presetInfos()): string {
  const yes = (value: boolean) => (value ? 'yes' : '—');
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const rows = infos.map((i) =>
    [
      `[\`${i.name}\`](${i.docs})`,
      PROTOCOL[i.protocol],
      i.pkce || '—',
      yes(i.refresh),
      yes(i.revoke),
      yes(i.protocol === 'oidc'),
      i.fields.map((f) => `\`${f}\``).join(' '),
      i.quirks.length ? i.quirks.map((q) => cell(q.summary)).join('; ') : '—',
    ].join(' | '),
  );
  const details = infos.map((i) =>
    [
      `\`${i.name}\``,
      cell(i.title),
      cell(i.clientAuth),
      i.hosts.map((h) => `\`${h}\``).join(' ') || '—',
      i.params.map((p) => `\`${p}\``).join(' ') || '—',
      `\`${i.name.toUpperCase()}_CLIENT_ID\``,
    ].join(' | '),
  );
  return [
    `${infos.length} presets.`,
    '',
    '| preset | protocol | PKCE | refresh | revoke | OIDC | profile fields | quirks handled |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r} |`),
    '',
    "Client authentication, the host names `baseUrls` takes, and each preset's own options:",
    '',
    '| preset | provider | client authentication | hosts (`baseUrls`) | options | env keys (as `name`) |',
    '| --- | --- | --- | --- | --- | --- |',
    ...details.map((r) => `| ${r} |`),
  ].join('\n');
}

/**
 * Replaces the generated part of a page.
 * @throws {Error} when the markers are missing
 */
export function updatePresetsDoc(markdown: string, tables = renderPresetsTables()): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/presets.md has no preset table markers');
  return `${markdown.slice(0, start + TABLE_START.length)}\n\n${tables}\n\n${markdown.slice(end)}`;
}

/** The page at `path` as it should be: tables regenerated, formatted as `npm run lint` wants. */
export async function generatePresetsDoc(path = PRESETS_DOC): Promise<string> {
  const config = (await prettier.resolveConfig(path)) ?? {};
  return prettier.format(updatePresetsDoc(readFileSync(path, 'utf8')), {
    ...config,
    filepath: path,
  });
}

/** The page the tables live in. */
export const PRESETS_DOC = 'docs/presets.md';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const before = readFileSync(PRESETS_DOC, 'utf8');
  const after = await generatePresetsDoc();
  if (after !== before) writeFileSync(PRESETS_DOC, after);
  console.log(
    `${PRESETS_DOC}: ${after === before ? 'up to date' : 'updated'} (${presetInfos().length} presets)`,
  );
}
