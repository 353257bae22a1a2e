/** The cost curve of a training run as a self-contained HTML page with an inline SVG line chart. */
const esc = (s: string) => s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export function costCurveSvg(costs: { iteration: number; cost: number }[], width = 640, height = 320): string {
  if (costs.length === 0) return '';
  const pad = { l: 56, r: 16, t: 16, b: 40 };
  const maxIt = Math.max(...costs.map((c) => c.iteration), 1);
  const maxC = Math.max(...costs.map((c) => c.cost));
  const x = (it: number) => pad.l + ((width - pad.l - pad.r) * it) / maxIt;
  const y = (c: number) => pad.t + (height - pad.t - pad.b) * (1 - c / maxC);
  const path = costs.map((c, i) => `${i ? 'L' : 'M'}${x(c.iteration).toFixed(1)},${y(c.cost).toFixed(1)}`).join(' ');
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * maxC);
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(f * maxIt));
  return `<svg width="${width}" height="${height}" role="img" aria-label="cost per iteration">
<g font-size="11" fill="#555">${yTicks.map((v) => `<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`).join('')}
${xTicks.map((v) => `<text x="${x(v)}" y="${height - pad.b + 16}" text-anchor="middle">${v}</text>`).join('')}
<text x="${(width + pad.l) / 2}" y="${height - 6}" text-anchor="middle">iterations</text></g>
<path d="${path}" fill="none" stroke="#4a7bd1" stroke-width="2"/>
${costs.map((c) => `<circle cx="${x(c.iteration)}" cy="${y(c.cost)}" r="2.5" fill="#4a7bd1"><title>${c.iteration}: ${c.cost}</title></circle>`).join('')}
</svg>`;
}

export function trainingPage(
  title: string,
  costs: { iteration: number; cost: number }[],
  facts: Record<string, string>,
): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:2em auto;color:#222}td{padding:.2em .8em;border-bottom:1px solid #eee}</style></head>
<body><h1>${esc(title)}</h1>${costCurveSvg(costs)}
<table>${Object.entries(facts)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`)
    .join('')}</table>
<h2>Costs</h2><table>${costs.map((c) => `<tr><td>${c.iteration}</td><td>${c.cost}</td></tr>`).join('')}</table></body></html>
`;
}
