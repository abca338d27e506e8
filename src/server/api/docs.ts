/**
 * `GET /docs`: the API reference as one self-contained HTML page rendered from the OpenAPI
 * document (no CDN assets: it must work on a closed network), and `GET /`: what this service is.
 */

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: { enum?: unknown[]; default?: unknown };
}

interface Operation {
  summary?: string;
  parameters?: Parameter[];
}

/** The HTML page of an OpenAPI document's paths, operations and parameters. */
export function renderDocs(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description?: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, op]) => operationHtml(method, path, op)),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code{background:#f3f3f5;padding:0 .25rem;border-radius:3px}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border-bottom:1px solid #e5e5ea;padding:.3rem .5rem;text-align:left;vertical-align:top}h2{font-size:1.05rem;margin-top:2rem}
.method{font-weight:700;text-transform:uppercase;margin-right:.5rem}</style></head>
<body><h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description ?? '')}</p><p>Machine-readable: <a href="/openapi.json"><code>/openapi.json</code></a>.
Every <code>/api</code> route needs <code>Authorization: Bearer &lt;token&gt;</code>.</p>
${sections.join('\n')}
</body></html>
`;
}

function operationHtml(method: string, path: string, op: Operation): string {
  const rows = (op.parameters ?? []).map(
    (p) =>
      `<tr><td><code>${escapeHtml(p.name)}</code>${p.required ? ' (required)' : ''}</td><td>${escapeHtml(p.in)}</td><td>${escapeHtml(p.description ?? '')}${
        p.schema?.enum
          ? ` One of ${p.schema.enum.map((v) => `<code>${escapeHtml(String(v))}</code>`).join(', ')}.`
          : ''
      }</td></tr>`,
  );
  const table =
    rows.length > 0
      ? `<table><tr><th>parameter</th><th>in</th><th>meaning</th></tr>${rows.join('')}</table>`
      : '';
  return `<h2><span class="method">${escapeHtml(method)}</span><code>${escapeHtml(path)}</code></h2><p>${escapeHtml(op.summary ?? '')}</p>${table}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
